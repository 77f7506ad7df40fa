using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>One IMP run (key: "sweep hash/run hash"): drives its pruning iterations in order.</summary>
public interface IImpRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run if this activation is not driving it yet (idempotent) and returns its status.</summary>
    Task<RunStatus> Ensure(RunRequest request);

    Task<RunStatus> Cancel();

    /// <summary>An iteration ended: the run collects it and starts the next one at once (and wakes if its silo died).</summary>
    [OneWay]
    Task IterationChanged(IterationRequest request);

    /// <summary>The analyses of one iteration ended: the run collects them at once rather than at its next poll.</summary>
    [OneWay]
    Task AnalysisChanged(AnalysisRequest request);
}
