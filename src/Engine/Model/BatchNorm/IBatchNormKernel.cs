using static TorchSharp.torch;

namespace Grid.Engine.Model.BatchNorm;

/// <summary>Batch statistics of one BN layer's training-mode forward pass, kept for its backward pass.</summary>
public sealed record BatchNormStatistics(Tensor Mean, Tensor Variance, Tensor InverseStd) : IDisposable
{
    public void Dispose()
    {
        Mean.Dispose();
        Variance.Dispose();
        InverseStd.Dispose();
    }
}

/// <summary>
/// Training-mode BatchNorm over the batch dimension of [N, C] activations, forward and backward, computed so that the
/// result does not depend on how many threads compute it (libtorch's CPU kernel sums per-thread partial results, so its
/// output changes with the thread count). Evaluation mode (running averages) stays with libtorch.
/// </summary>
public interface IBatchNormKernel
{
    /// <summary>u = (h - mean) / sqrt(var + eps) · gamma + beta with the batch's biased mean and variance.</summary>
    (Tensor Output, BatchNormStatistics Statistics) Forward(Tensor h, Tensor gamma, Tensor beta, double epsilon);

    /// <summary>Gradients of the input, gamma and beta from the output's gradient <paramref name="du"/>.</summary>
    (Tensor Input, Tensor Gamma, Tensor Beta) Backward(Tensor du, Tensor h, Tensor gamma, BatchNormStatistics statistics);
}
