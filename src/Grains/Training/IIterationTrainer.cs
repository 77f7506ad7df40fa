using Grid.Engine.Runs;
using Grid.Engine.Specs;

namespace Grid.Grains.Training;

/// <summary>
/// The seam between the grid and the engine: trains one iteration (blocking, CPU/GPU-heavy; called on a dedicated
/// worker thread) and reads finished ones back. The default calls <see cref="RunExecutor"/>; tests wrap it.
/// </summary>
public interface IIterationTrainer
{
    /// <summary>The stored outcome of a finished iteration, or null.</summary>
    IterationOutcome? ReadFinished(string runDirectory, int iteration);

    IterationOutcome Train(ExperimentSpec spec, string runDirectory, int iteration, TrainingSlot slot, IProgress<TrainingProgress> progress, CancellationToken cancellationToken);
}
