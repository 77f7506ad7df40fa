namespace Grid.Analysis.Reports;

/// <summary>A picture to embed: its file, the path shown as its source (relative to the sweep), and its caption.</summary>
internal sealed record ReportFigure(string ImagePath, string Source, string Caption);
