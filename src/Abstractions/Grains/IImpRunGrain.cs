using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>One IMP run (key: "sweep hash/run hash"): drives its pruning iterations in order.</summary>
public interface IImpRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run if this activation is not driving it yet (idempotent) and returns its status.</summary>
    Task<RunStatus> Ensure(RunRequest request);

    Task<RunStatus> Cancel();

    /// <summary>An iteration changed state (wakes a run grain whose silo died).</summary>
    [OneWay]
    Task IterationChanged(IterationRequest request);
}
