using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// A linear layer that reads its input and its output gradient packed (<see cref="PackedRows"/>), so that the hidden
/// layer beside it can write them there directly instead of as a [C, N] tensor that the layer would copy: each saves a
/// write and a read of the whole activation per step (and the bias gradient's pass over the gradient).
/// </summary>
public interface IPackedLinearKernel : ILinearKernel
{
    /// <summary>Where <see cref="ForwardPacked"/> reads the layer's input Aᵀ [in, N].</summary>
    PackedRows PackedInput { get; }

    /// <summary>Where <see cref="BackwardPacked"/> reads the gradient Gᵀ [out, N] of the layer's output.</summary>
    PackedRows PackedGradient { get; }

    /// <summary><see cref="ILinearKernel.Forward"/> with the input already in <see cref="PackedInput"/>.</summary>
    Tensor ForwardPacked(int n);

    /// <summary><see cref="ILinearKernel.Backward"/> with the gradient already in <see cref="PackedGradient"/> and its sum
    /// over the batch (the bias gradient, [out]) given.</summary>
    Tensor? BackwardPacked(int n, Tensor biasGradient, bool inputGradient);
}
