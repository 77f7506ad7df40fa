namespace Grid.Analysis.Reports;

/// <summary>What `grid compare` compares from one sweep: all its runs, or the runs named (a hash each).</summary>
public sealed record ComparedSweep(string SweepDirectory, IReadOnlyList<string>? RunHashes = null);

/// <summary>A written comparison: the page, the directory of its figures and numbers, and each series' findings.</summary>
public sealed record ComparisonResult(string Path, string FiguresDirectory, IReadOnlyList<Findings.LabelledRunFindings> Findings);
