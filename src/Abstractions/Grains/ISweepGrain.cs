using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>
/// Coordinator of one sweep (key: sweep hash). Expands the runs, drives them, aggregates summary.csv.
/// Submitting again resumes: finished iterations are read back from the results store, never retrained.
/// Commands go down to the runs (<see cref="IPruningRunGrain.Restart"/> or <see cref="IPruningRunGrain.Ensure"/> once,
/// <see cref="IPruningRunGrain.Cancel"/>), their status comes up (<see cref="RunChanged"/>); a run is asked again only when
/// the coordinator has not heard from it for a while.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Validates (completely) and starts or resumes the sweep; a rejected sweep writes nothing.</summary>
    Task<SubmitResult> Submit(SweepSubmission submission);

    /// <summary>Status of every run. Asking about an unfinished sweep that is not cancelled resumes it.</summary>
    Task<SweepStatus> GetStatus();

    /// <summary>Status without side effects (does not resume an idle sweep).</summary>
    Task<SweepStatus> Peek();

    /// <summary>Stops all runs; finished iterations stay. Submitting again resumes.</summary>
    Task<SweepStatus> Cancel();

    /// <summary>
    /// A run reports its status: at once when its state, finished iterations, current iteration's state or pending
    /// analyses changed, otherwise every poll interval while it is driven (its progress, and a sign of life). The
    /// coordinator applies it as it applies the answer of <see cref="IPruningRunGrain.Ensure"/>, and ignores it when stale
    /// (not later than what it heard last from that run activation, from an activation it did not ask, or for a sweep it
    /// is not driving). It also wakes a coordinator whose silo died.
    /// </summary>
    [OneWay]
    Task RunChanged(RunStatus status);
}
