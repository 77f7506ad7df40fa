using Grid.Engine.Training;

namespace Grid.Engine.Runs;

/// <summary>The record of a trained iteration, before the run decides whether it is its last.</summary>
public static class IterationRecords
{
    public static IterationOutcome Outcome(int iteration, IterationWork work, TrainingResult result) => new()
    {
        Iteration = iteration,
        UnprunedFraction = work.Density,
        LayerUnprunedFractions = work.Mask.LayerDensities(),
        BestValAccuracy = result.BestValAccuracy,
        BestValTop5 = result.BestValTop5,
        BestStep = result.BestStep,
        FinalTrainLoss = result.FinalTrainLoss,
        TrainSeconds = result.Seconds,
        Kernels = result.Kernels,
        Threads = result.Threads,
        IsLast = false,
    };
}
