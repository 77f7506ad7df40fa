using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Model.Hidden;

/// <summary>What a hidden layer's forward pass keeps for its backward pass: its input h (before BatchNorm), its output a
/// (after ReLU; null when it was written packed for the next layer) and, with BatchNorm, the batch's statistics and
/// the per-feature affine map a = ReLU(scale·h + shift) they gave (the SIMD kernel recomputes the ReLU's mask from it).</summary>
public sealed class HiddenState(Tensor preActivation, Tensor? output, Tensor? mean, Tensor? variance, Tensor? inverseStd, Tensor? scale = null, Tensor? shift = null) : IDisposable
{
    public Tensor PreActivation { get; } = preActivation;
    public Tensor? Output { get; } = output;
    public Tensor? Mean { get; } = mean;
    public Tensor? Variance { get; } = variance;
    public Tensor? InverseStd { get; } = inverseStd;
    public Tensor? Scale { get; } = scale;
    public Tensor? Shift { get; } = shift;

    public void Dispose()
    {
        Mean?.Dispose();
        Variance?.Dispose();
        InverseStd?.Dispose();
        Scale?.Dispose();
        Shift?.Dispose();
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

    /// <summary>True when the kernel can write its output and its input gradient packed for a sparse layer beside it
    /// (<see cref="ForwardPacked"/>, <see cref="BackwardPacked"/>).</summary>
    bool WritesPacked { get; }

    /// <summary><see cref="Forward"/> with a written into <paramref name="output"/> instead of a tensor (the state's
    /// <see cref="HiddenState.Output"/> is then null); the same values.</summary>
    HiddenState ForwardPacked(Tensor h, Tensor? gamma, Tensor? beta, double epsilon, PackedRows output);

    /// <summary><see cref="Backward"/> with the gradient of h written into <paramref name="inputGradient"/> instead of a
    /// tensor; returns its sum over the batch per feature (the gradient of the bias of the linear layer before).</summary>
    (Tensor InputSums, Tensor? Gamma, Tensor? Beta) BackwardPacked(Tensor da, HiddenState state, Tensor? gamma, PackedRows inputGradient);
}
