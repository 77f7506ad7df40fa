using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// One linear layer of a training step on feature-major activations (a feature's batch values contiguous): the forward
/// product, the backward products and the update of the layer's weights. Dense layers leave their weight gradient in
/// <c>.grad</c> for <see cref="ParameterUpdate"/>; a sparse layer keeps the gradient of its unpruned weights and updates
/// them itself (<see cref="Update"/>), so that no step costs anything per pruned weight.
/// </summary>
public interface ILinearKernel : IDisposable
{
    /// <summary>"dense" or "sparse", for logs and metrics.</summary>
    string Kind { get; }

    /// <summary>True when <see cref="Update"/> updates the layer's weights (they are then no business of the dense optimiser).</summary>
    bool UpdatesWeights { get; }

    /// <summary>Hᵀ = W·Aᵀ + b: [out, N] from Aᵀ [in, N] (for the first layer a transposed view of the row-major images;
    /// contiguous for the others).</summary>
    Tensor Forward(Tensor inputT);

    /// <summary>Gradients of the layer's bias (in <c>.grad</c>) and weights (masked) from Gᵀ = dL/dHᵀ and the forward
    /// input Aᵀ; returns dL/dAᵀ when <paramref name="inputGradient"/> (no layer before the first needs it).</summary>
    Tensor? Backward(Tensor gradientT, Tensor inputT, bool inputGradient);

    /// <summary>Applies this step's weight gradient when the layer updates its own weights (sparse); nothing otherwise.</summary>
    void Update();
}
