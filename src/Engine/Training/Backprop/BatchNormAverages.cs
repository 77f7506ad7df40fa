using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>BatchNorm1d's training-mode update of its running averages, for the engine's own BatchNorm kernels
/// (<see cref="BackpropStep"/>, and per member and feature <see cref="Bundles.BundledStep"/>).</summary>
public static class BatchNormAverages
{
    /// <summary>The running averages after a batch of <paramref name="count"/> with these statistics (the variance made
    /// unbiased), with the model's <paramref name="momentum"/>.</summary>
    public static void Update(Tensor runningMean, Tensor runningVariance, Tensor mean, Tensor variance, double momentum, long count)
    {
        using var keep = (1 - momentum).ToScalar();
        using var take = momentum.ToScalar();
        using var unbiased = (momentum * count / Math.Max(1, count - 1)).ToScalar();
        runningMean.mul_(keep).add_(mean, take);
        runningVariance.mul_(keep).add_(variance, unbiased);
    }
}
