namespace Grid.Engine.Sweeps;

/// <summary>
/// The results store of sweeps (the source of truth). Under the results root, one directory per sweep:
/// <code>
/// &lt;name&gt;-&lt;sweep hash&gt;/
///   sweep.json        manifest: canonical sweep, its runs (written once)
///   sweep.yaml        the submitted file, for people (written once)
///   summary.csv       one row per run and iteration (regenerated from the runs)
///   aggregate.csv     mean/std over seeds per axis point and iteration (regenerated)
///   CANCELLED         present while the sweep is cancelled; removed when it is submitted again
///   runs/&lt;run hash&gt;/   the engine's run directory (spec.json, iter-NNN/summary.json, ...)
/// </code>
/// </summary>
public static class SweepLayout
{
    public const string ManifestFile = "sweep.json";
    public const string SourceFile = "sweep.yaml";
    public const string SummaryFile = "summary.csv";
    public const string AggregateFile = "aggregate.csv";
    public const string CancelledMarker = "CANCELLED";
    public const string RunsDirectory = "runs";

    public static string DirectoryName(string sweepName, string sweepHash) => $"{sweepName}-{sweepHash}";

    /// <summary>Run directory relative to the sweep directory.</summary>
    public static string RunDirectory(string runHash) => $"{RunsDirectory}/{runHash}";
}
