namespace Grid.Engine.Training;

/// <summary>One validation point: averages of the training batches since the previous point, and validation.</summary>
public sealed record CurvePoint(int Step, double TrainLoss, double TrainAccuracy, double ValLoss, double ValAccuracy, double ValTop5);

/// <summary>What a training run reports: its curve, best point, final loss, time, and how it trained: the kernel of each
/// linear layer ("dense"/"sparse") and the libtorch threads most of its steps trained with.</summary>
public sealed record TrainingResult(
    IReadOnlyList<CurvePoint> Curve,
    double BestValAccuracy,
    double BestValTop5,
    int BestStep,
    double FinalTrainLoss,
    double Seconds,
    IReadOnlyList<string> Kernels,
    int Threads);

/// <summary>The loss became NaN or infinite: the run is stopped rather than producing garbage.</summary>
public sealed class TrainingDivergedException(int step, double loss)
    : Exception($"training diverged at step {step}: loss = {loss} (try a smaller learning rate)")
{
    public int Step { get; } = step;
}
