using Grid.Analysis.Output;

namespace Grid.Analysis.Runs;

/// <summary>
/// Where one analysis writes, and the list of what it wrote (for its record). Every file name starts with the
/// analysis name; the figure helpers write atomically.
/// </summary>
public sealed class AnalysisOutput
{
    private readonly List<AnalysisFigure> _figures = [];
    private readonly List<string> _dataFiles = [];

    internal AnalysisOutput(string runDirectory, string directory, string analysis)
    {
        RunDirectory = runDirectory;
        Directory = directory;
        Analysis = analysis;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string RunDirectory { get; }
    public string Directory { get; }
    public string Analysis { get; }

    /// <summary>An optional remark kept in the record (e.g. why a figure was left out).</summary>
    public string? Note { get; set; }

    public IReadOnlyList<AnalysisFigure> Figures => _figures;
    public IReadOnlyList<string> DataFiles => _dataFiles;

    /// <summary>Base path (no extension) "&lt;directory&gt;/&lt;analysis&gt;-&lt;part&gt;", or "&lt;directory&gt;/&lt;analysis&gt;" for an empty part.</summary>
    public string PathFor(string part = "") =>
        Path.Combine(Directory, string.IsNullOrEmpty(part) ? Analysis : $"{Analysis}-{part}");

    public void Figure(FigureFiles files, string caption) =>
        _figures.Add(new AnalysisFigure(Relative(files.ImagePath), Relative(files.DataPath), caption));

    public void Data(string path) => _dataFiles.Add(Relative(path));

    private string Relative(string path) => Path.GetRelativePath(RunDirectory, path).Replace('\\', '/');
}
