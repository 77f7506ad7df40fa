using System.Text.Json.Nodes;

namespace Grid.Engine.Sweeps;

/// <summary>sweep.json: what a sweep is, written once when it is first submitted.</summary>
public sealed record SweepManifest
{
    /// <summary>1: the runs trained in their own directories; 2: they take their iterations from the results root's run
    /// store (<see cref="Runs.Store.StoreLink"/>).</summary>
    public int Format { get; init; } = 1;

    public const int RunStoreFormat = 2;

    public bool UsesRunStore => Format >= RunStoreFormat;
    public string Hash { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset Created { get; init; }

    /// <summary>Directory of the sweep, relative to the results root.</summary>
    public string Directory { get; init; } = "";

    /// <summary>The canonical sweep document (name, base, matrix); compiling it again yields the same runs.</summary>
    public JsonObject Sweep { get; init; } = [];

    /// <summary>The sweep's analysis list; empty = the analysis library's defaults.</summary>
    public IReadOnlyList<string> Analysis { get; init; } = [];
    public IReadOnlyList<string> Axes { get; init; } = [];
    public IReadOnlyList<ManifestRun> Runs { get; init; } = [];
}

/// <summary>One run of a manifest: its hash (run directory name) and its value on each axis, for display.</summary>
public sealed record ManifestRun
{
    public int Index { get; init; }
    public string Hash { get; init; } = "";
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>Relative to the sweep directory.</summary>
    public string Directory { get; init; } = "";

    /// <summary>Rough number of iterations the run will take (for progress bars; the stop criterion decides).</summary>
    public int EstimatedIterations { get; init; }

    public int MaxIterations { get; init; }
}
