using Grid.Engine.Runs;

namespace Grid.Grains.Training;

/// <summary>Engine records → serialisable contracts.</summary>
public static class ContractMapping
{
    public static IterationResult ToResult(this IterationOutcome outcome) => new()
    {
        Iteration = outcome.Iteration,
        UnprunedFraction = outcome.UnprunedFraction,
        LayerUnprunedFractions = [.. outcome.LayerUnprunedFractions],
        BestValAccuracy = outcome.BestValAccuracy,
        BestValTop5 = outcome.BestValTop5,
        BestStep = outcome.BestStep,
        FinalTrainLoss = outcome.FinalTrainLoss,
        TrainSeconds = outcome.TrainSeconds,
        IsLast = outcome.IsLast,
        StopReason = outcome.StopReason,
    };

    public static IterationProgress ToProgress(this TrainingProgress progress)
    {
        double elapsed = progress.Elapsed.TotalSeconds;
        double? eta = progress.Step > 0 && progress.TotalSteps >= progress.Step
            ? elapsed * (progress.TotalSteps - progress.Step) / progress.Step
            : null;
        return new IterationProgress
        {
            Iteration = progress.Iteration,
            Step = progress.Step,
            TotalSteps = progress.TotalSteps,
            TrainLoss = progress.TrainLoss,
            ValAccuracy = progress.ValAccuracy,
            BestValAccuracy = progress.BestValAccuracy,
            UnprunedFraction = progress.UnprunedFraction,
            ElapsedSeconds = elapsed,
            EtaSeconds = eta,
        };
    }
}
