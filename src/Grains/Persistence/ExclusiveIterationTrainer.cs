using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Grains.Training;

namespace Grid.Grains.Persistence;

/// <summary>
/// Makes "two silos never train the same iteration at once" hold on the results store itself, not only through
/// Orleans' single activation per grain key (which can briefly be violated while the cluster recovers from a silo
/// death). Before training, the trainer takes the iteration's <see cref="IterationClaim"/>; a second trainer of the
/// same iteration waits for it and then, finding summary.json, returns the stored outcome instead of training.
/// </summary>
public sealed class ExclusiveIterationTrainer(IIterationTrainer inner, string holder, ILogger<ExclusiveIterationTrainer> logger) : IIterationTrainer
{
    public IterationOutcome? ReadFinished(string runDirectory, int iteration) => inner.ReadFinished(runDirectory, iteration);

    public IterationOutcome Train(ExperimentSpec spec, string runDirectory, int iteration, TrainingSlot slot, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        using var claim = IterationClaim.Acquire(runDirectory, iteration, holder,
            () => logger.LogWarning("Iteration {Iteration} of run {Run} is being trained by another process ({Lock}); waiting for it",
                iteration, Path.GetFileName(runDirectory), IterationClaim.LockPath(runDirectory, iteration)),
            cancellationToken);
        if (inner.ReadFinished(runDirectory, iteration) is { } finished)
        {
            logger.LogInformation("Iteration {Iteration} of run {Run} was finished by another process; not training it again", iteration, Path.GetFileName(runDirectory));
            return finished;
        }

        return inner.Train(spec, runDirectory, iteration, slot, progress, cancellationToken);
    }
}
