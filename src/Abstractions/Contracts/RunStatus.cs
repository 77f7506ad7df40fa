namespace Grid.Abstractions.Contracts;

/// <summary>Progress of one pruning run: its run grain's answer to the coordinator, or a report it sends by itself.</summary>
[GenerateSerializer, Immutable]
public sealed record RunStatus
{
    [Id(0)] public int Index { get; init; }
    [Id(1)] public string RunHash { get; init; } = "";

    /// <summary>The run's value on each axis of the sweep, for display.</summary>
    [Id(2)] public IReadOnlyList<string> Values { get; init; } = [];
    [Id(3)] public RunState State { get; init; }
    [Id(4)] public int FinishedIterations { get; init; }

    /// <summary>Rough total (the stop criterion decides); grows when exceeded.</summary>
    [Id(5)] public int EstimatedIterations { get; init; }

    /// <summary>The iteration being trained or queued.</summary>
    [Id(6)] public IterationProgress? Current { get; init; }
    [Id(7)] public IterationResult? Last { get; init; }
    [Id(8)] public string? Error { get; init; }

    /// <summary>Silo that trains the current iteration.</summary>
    [Id(9)] public string? Silo { get; init; }

    /// <summary>Estimated seconds until the run ends (from the mean iteration time and the estimated total).</summary>
    [Id(10)] public double? EtaSeconds { get; init; }

    /// <summary>Finished iterations whose analyses are not computed yet.</summary>
    [Id(11)] public int AnalysesPending { get; init; }

    /// <summary>Analyses that failed (name, iteration and reason); they do not fail the run.</summary>
    [Id(12)] public IReadOnlyList<string> AnalysisErrors { get; init; } = [];

    /// <summary>Device that trains the current iteration (e.g. cpu, cuda:1).</summary>
    [Id(13)] public string? Device { get; init; }

    /// <summary>True once this status comes from a run that has read (and verified) the results store: its
    /// <see cref="FinishedIterations"/> is then the truth, even when lower than before (iterations set aside).</summary>
    [Id(14)] public bool Loaded { get; init; }

    /// <summary>Finished iterations that did not verify and what was done about them, one line each naming the file.</summary>
    [Id(15)] public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The finished iteration with the highest best validation accuracy (the first of equals), or null.</summary>
    [Id(16)] public IterationResult? Best { get; init; }

    /// <summary>How many iterations (of this and other runs) train together with the current one as one bundle; 1 alone,
    /// 0 while it is not training.</summary>
    [Id(17)] public int BundleMembers { get; init; }

    /// <summary>While the current iteration waits for the other members of its bundle: how many of them are queued with
    /// it, out of <see cref="GatherCapacity"/> (<see cref="IterationSnapshot.Gathered"/>); 0 otherwise.</summary>
    [Id(20)] public int Gathered { get; init; }

    [Id(21)] public int GatherCapacity { get; init; }

    /// <summary>The activation of the run grain that gave this status (empty for a status read from disk).</summary>
    [Id(18)] public Guid Activation { get; init; }

    /// <summary>This status's place among those the activation gave out (answers and reports), from 1: one-way reports
    /// are not ordered, so the coordinator takes a report only when it is later than what it heard last.</summary>
    [Id(19)] public long Sequence { get; init; }

    public bool IsTerminal => State is RunState.Finished or RunState.Failed or RunState.Cancelled;
}
