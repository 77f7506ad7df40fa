using Grid.Engine.Specs;

namespace Grid.Engine.Runs;

/// <summary>One iteration to make: what <see cref="RunExecutor.RunIteration"/> takes, with its own progress and cancellation.</summary>
public sealed record IterationOrder(ExperimentSpec Spec, string RunDirectory, int Iteration, IProgress<TrainingProgress>? Progress, CancellationToken Cancellation);

/// <summary>An iteration's outcome, or why it failed (what <see cref="RunExecutor.RunIteration"/> would have thrown for it alone).</summary>
public sealed record IterationAttempt(IterationOutcome? Outcome, Exception? Failure)
{
    /// <summary>The outcome, or the failure thrown.</summary>
    public IterationOutcome Value => Outcome ?? throw Failure!;
}
