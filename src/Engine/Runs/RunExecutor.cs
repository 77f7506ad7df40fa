using Grid.Engine.Specs;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>
/// Runs the iterations of one experiment, one at a time, against its run directory (the source of truth).
/// Every call is idempotent: a finished iteration is read back, never retrained.
/// </summary>
public static class RunExecutor
{
    /// <summary>Trains iteration <paramref name="iteration"/> (which requires iteration - 1 finished and not last),
    /// writes its artifacts atomically and returns its outcome.</summary>
    public static IterationOutcome RunIteration(
        ExperimentSpec spec,
        string runDirectory,
        int iteration,
        torch.Device device,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken) =>
        throw new NotImplementedException("engine in progress");

    /// <summary>Outcomes of the iterations already finished in <paramref name="runDirectory"/>, in order.</summary>
    public static IReadOnlyList<IterationOutcome> FinishedIterations(string runDirectory) =>
        throw new NotImplementedException("engine in progress");
}
