namespace Grid.Analysis.Runs;

/// <summary>
/// Where the named analyses of a run write (inside the engine's run directory, so results travel with the run):
/// <code>
/// &lt;run&gt;/analysis/
///   iter-NNN/&lt;name&gt;-….png|.csv|.json   per-iteration analyses (e.g. connectivity-layer1.png)
///   iter-NNN/&lt;name&gt;.done.json          written last: the analysis finished; lists its files
///   &lt;name&gt;….gif|.json, &lt;name&gt;.done.json  per-run analyses (evolution)
/// </code>
/// </summary>
public static class AnalysisLayout
{
    public const string DirectoryName = "analysis";
    public const string RecordSuffix = ".done.json";

    public static string Root(string runDirectory) => Path.Combine(Path.GetFullPath(runDirectory), DirectoryName);

    public static string IterationDirectory(string runDirectory, int iteration) =>
        Path.Combine(Root(runDirectory), $"iter-{iteration:D3}");

    /// <summary>The directory an analysis of this scope writes into.</summary>
    public static string DirectoryFor(AnalysisScope scope, string runDirectory, int iteration) =>
        scope == AnalysisScope.Run ? Root(runDirectory) : IterationDirectory(runDirectory, iteration);

    public static string RecordFile(string directory, string analysis) => Path.Combine(directory, analysis + RecordSuffix);
}

/// <summary>Whether an analysis describes one iteration or the whole run.</summary>
public enum AnalysisScope
{
    /// <summary>Writes into analysis/iter-NNN/ for every iteration it is asked about.</summary>
    Iteration,

    /// <summary>Writes into analysis/ once, when asked about the run's last iteration (e.g. the mask evolution).</summary>
    Run,
}
