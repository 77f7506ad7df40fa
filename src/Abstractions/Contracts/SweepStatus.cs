namespace Grid.Abstractions.Contracts;

/// <summary>A snapshot of a sweep and all its runs, polled by clients.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepStatus
{
    [Id(0)] public SweepInfo Sweep { get; init; } = new();
    [Id(1)] public SweepState State { get; init; }
    [Id(2)] public IReadOnlyList<RunStatus> Runs { get; init; } = [];
    [Id(3)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Why the sweep stopped, when it failed.</summary>
    [Id(4)] public string? Message { get; init; }

    public int FinishedRuns => Runs.Count(r => r.State == RunState.Finished);
    public int FinishedIterations => Runs.Sum(r => r.FinishedIterations);
    public bool IsTerminal => State is SweepState.Finished or SweepState.Cancelled or SweepState.Failed;
}
