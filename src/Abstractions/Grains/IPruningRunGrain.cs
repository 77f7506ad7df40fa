using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>One pruning run of any method (key: "sweep hash/run hash"): drives its iterations in order and requests
/// their analyses. Commands go down (<see cref="ITrainingIterationGrain.Ensure"/>, <see cref="ITrainingIterationGrain.Cancel"/>,
/// <see cref="IAnalysisGrain.Ensure"/>), state comes up (<see cref="IterationChanged"/>, <see cref="AnalysisChanged"/>);
/// likewise between the run and its sweep's coordinator (<see cref="Ensure"/>, <see cref="Restart"/>, <see cref="Cancel"/>
/// down, <see cref="ISweepGrain.RunChanged"/> up).</summary>
public interface IPruningRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run if this activation has not started it yet (idempotent) and returns its status at once;
    /// from then on the run reports to its coordinator (<see cref="ISweepGrain.RunChanged"/>) while it is driven. A run
    /// that failed (in this activation, or as recorded in the results store) stays failed: see <see cref="Restart"/>.</summary>
    Task<RunStatus> Ensure(RunRequest request);

    /// <summary>As <see cref="Ensure"/>, but a failed, cancelled or finished run that is not being driven starts again
    /// from the results store (verifying it): the sweep was submitted again.</summary>
    Task<RunStatus> Restart(RunRequest request);

    Task<RunStatus> Cancel();

    /// <summary>
    /// An iteration reports its state: at once when it changed (queued, training, finished, failed, cancelled), otherwise
    /// every poll interval (its progress, and a sign of life). The run applies it as it applies the answer of
    /// <see cref="ITrainingIterationGrain.Ensure"/>, and ignores it when stale (another iteration, an older generation, a
    /// cancelled or ended run). It also wakes a run that was lost with its silo.
    /// </summary>
    [OneWay]
    Task IterationChanged(IterationRequest request, IterationSnapshot snapshot);

    /// <summary>An analysis grain reports its state: when its work ended (the run collects the analyses and asks for what
    /// is left at once), and every poll interval while it runs (a sign of life). Ignored when stale; wakes a lost run.</summary>
    [OneWay]
    Task AnalysisChanged(AnalysisRequest request, AnalysisSnapshot snapshot);
}
