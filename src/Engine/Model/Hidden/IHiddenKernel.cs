using static TorchSharp.torch;

namespace Grid.Engine.Model.Hidden;

/// <summary>What a hidden layer's forward pass keeps for its backward pass: its input h (before BatchNorm), its output a
/// (after ReLU) and, with BatchNorm, the batch's statistics.</summary>
public sealed class HiddenState(Tensor preActivation, Tensor output, Tensor? mean, Tensor? variance, Tensor? inverseStd) : IDisposable
{
    public Tensor PreActivation { get; } = preActivation;
    public Tensor Output { get; } = output;
    public Tensor? Mean { get; } = mean;
    public Tensor? Variance { get; } = variance;
    public Tensor? InverseStd { get; } = inverseStd;

    public void Dispose()
    {
        Mean?.Dispose();
        Variance?.Dispose();
        InverseStd?.Dispose();
    }
}

/// <summary>
/// The non-linear part of a hidden layer in training mode, a = ReLU(BN(h)) with BatchNorm's batch statistics (or
/// a = ReLU(h) without BatchNorm), forward and backward, on feature-major activations [C, N] (a feature's batch values
/// contiguous), computed so that the result does not depend on how many threads compute it: libtorch's CPU BatchNorm
/// sums per-thread partial results, so its output changes with the thread count. Evaluation mode (running averages)
/// stays with libtorch.
/// </summary>
public interface IHiddenKernel
{
    /// <param name="gamma">BatchNorm scale, or null for a layer without BatchNorm (then <paramref name="beta"/> is null too)</param>
    HiddenState Forward(Tensor h, Tensor? gamma, Tensor? beta, double epsilon);

    /// <summary>Gradient of h from the gradient of a; with BatchNorm also of gamma and beta.</summary>
    (Tensor Input, Tensor? Gamma, Tensor? Beta) Backward(Tensor da, HiddenState state, Tensor? gamma);
}
