using System.Runtime.ExceptionServices;
using Grid.Engine.Runs;
using Grid.Engine.Specs;

namespace Grid.Grains.Training;

/// <summary>
/// The seam between the grid and the engine: trains a bundle of iterations (blocking, CPU/GPU-heavy; called on the
/// slot's training thread) and reads finished ones back. A bundle of one is solo training. The default calls
/// <see cref="RunExecutor"/>; tests and decorators wrap it.
/// </summary>
public interface IIterationTrainer
{
    /// <summary>The stored outcome of a finished iteration, or null.</summary>
    IterationOutcome? ReadFinished(string runDirectory, int iteration);

    /// <summary>Iterations of specs with equal keys may train together in one bundle.</summary>
    string BundleKey(ExperimentSpec spec);

    /// <summary>The most members this spec allows in one bundle on <paramref name="slot"/>; at least 1.</summary>
    int BundleMembers(ExperimentSpec spec, TrainingSlot slot);

    /// <summary>
    /// Trains the orders (equal <see cref="BundleKey"/>s) at once on <paramref name="slot"/>; one attempt per order, in
    /// order. Each order keeps its own progress and cancellation, and a member that fails or is cancelled carries its
    /// exception in its attempt without failing the others.
    /// </summary>
    IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot);
}

public static class IterationTrainerExtensions
{
    /// <summary>Trains one iteration alone: a bundle of one; throws what it failed with.</summary>
    public static IterationOutcome Train(this IIterationTrainer trainer, ExperimentSpec spec, string runDirectory, int iteration, TrainingSlot slot, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var attempt = trainer.TrainBundle([new IterationOrder(spec, runDirectory, iteration, progress, cancellationToken)], slot).Single();
        if (attempt.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return attempt.Value;
    }
}
