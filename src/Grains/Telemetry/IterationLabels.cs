using System.Globalization;

namespace Grid.Grains.Telemetry;

/// <summary>
/// The bounded labels of one iteration: the sweep (its directory name under the results root, "name-hash"), the run
/// (its hash) and the iteration number, read from the run directory the grid hands to the trainer
/// (&lt;results&gt;/&lt;sweep&gt;/runs/&lt;run hash&gt;).
/// </summary>
public readonly record struct IterationLabels(string Sweep, string Run, int Iteration)
{
    public const string Unknown = "unknown";

    public string IterationText => Iteration.ToString(CultureInfo.InvariantCulture);

    public static IterationLabels FromRunDirectory(string runDirectory, int iteration)
    {
        string trimmed = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        string run = Path.GetFileName(trimmed);
        string? runs = Path.GetDirectoryName(trimmed);
        string? sweep = runs is null ? null : Path.GetFileName(Path.GetDirectoryName(runs));
        return new IterationLabels(
            string.IsNullOrEmpty(sweep) ? Unknown : sweep,
            string.IsNullOrEmpty(run) ? Unknown : run,
            iteration);
    }

    /// <summary>The sweep label of a sweep directory (absolute or relative).</summary>
    public static string SweepOf(string sweepDirectory)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(sweepDirectory));
        return string.IsNullOrEmpty(name) ? Unknown : name;
    }
}
