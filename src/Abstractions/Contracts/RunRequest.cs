namespace Grid.Abstractions.Contracts;

/// <summary>Everything needed to drive one run; carried by every call so that any activation can (re)start it.</summary>
[GenerateSerializer, Immutable]
public sealed record RunRequest
{
    [Id(0)] public string SweepHash { get; init; } = "";

    /// <summary>Sweep directory relative to the results root of the silo.</summary>
    [Id(1)] public string SweepDirectory { get; init; } = "";
    [Id(2)] public string RunHash { get; init; } = "";
    [Id(3)] public int RunIndex { get; init; }

    /// <summary>Run directory relative to the sweep directory.</summary>
    [Id(4)] public string RunDirectory { get; init; } = "";

    /// <summary>Canonical JSON of the run's ExperimentSpec.</summary>
    [Id(5)] public string SpecJson { get; init; } = "";
    /// <summary>Analyses of every finished iteration.</summary>
    [Id(6)] public IReadOnlyList<string> Analysis { get; init; } = [];

    /// <summary>Analyses of only the iterations the report shows (the best and the last), once the run has trained.</summary>
    [Id(9)] public IReadOnlyList<string> ReportedAnalysis { get; init; } = [];
    [Id(7)] public int EstimatedIterations { get; init; }
    [Id(8)] public IReadOnlyList<string> Values { get; init; } = [];

    public string GrainKey => GrainKeys.Run(SweepHash, RunHash);
}
