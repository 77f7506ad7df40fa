using Grid.Engine.Runtime;
using Grid.Engine.Training;

namespace Grid.Engine.Runs;

/// <summary>The record of a trained iteration, before the run decides whether it is its last.</summary>
public static class IterationRecords
{
    /// <param name="bundle">the members of the bundle it trained in, when more than one</param>
    public static IterationOutcome Outcome(int iteration, IterationWork work, TrainingResult result, int? bundle = null) => new()
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
        StepMilliseconds = result.StepMilliseconds,
        DenseProducts = work.Model.Device.type == TorchSharp.DeviceType.CPU ? MklKernels.Products : null,
        Bundle = bundle > 1 ? bundle : null,
        IsLast = false,
    };
}
