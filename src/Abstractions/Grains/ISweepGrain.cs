using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>
/// Coordinator of one sweep (key: sweep hash). Expands the runs, drives them, aggregates summary.csv.
/// Submitting again resumes: finished iterations are read back from the results store, never retrained.
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

    /// <summary>A run made progress (wakes a coordinator whose silo died).</summary>
    [OneWay]
    Task RunChanged(string runHash);
}
