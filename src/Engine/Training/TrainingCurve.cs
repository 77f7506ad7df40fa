namespace Grid.Engine.Training;

/// <summary>One validation point: averages of the training batches since the previous point, and validation.</summary>
public sealed record CurvePoint(int Step, double TrainLoss, double TrainAccuracy, double ValLoss, double ValAccuracy, double ValTop5);

/// <summary>What a training run reports: its curve, best point, final loss, time, and how it trained: the kernel of each
/// linear layer ("dense"/"sparse"), the libtorch threads most of its steps trained with and its median step
/// (<see cref="StepTimes"/>; a bundle's whole step for each of its members).</summary>
public sealed record TrainingResult(
    IReadOnlyList<CurvePoint> Curve,
    double BestValAccuracy,
    double BestValTop5,
    int BestStep,
    double FinalTrainLoss,
    double Seconds,
    IReadOnlyList<string> Kernels,
    int Threads,
    double? StepMilliseconds = null);

/// <summary>The loss became NaN or infinite: the run is stopped rather than producing garbage.</summary>
public sealed class TrainingDivergedException(int step, double loss)
    : Exception($"training diverged at step {step}: loss = {loss} (try a smaller learning rate)")
{
    public int Step { get; } = step;
}
