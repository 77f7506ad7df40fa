using Grid.Engine.Training.Backprop;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Bundles;

/// <summary>
/// One linear layer of a bundle on feature-major activations [K, features, B]: <see cref="DenseLinearKernel"/>'s
/// products, each as one batched product over the K members (bmm), in the same forms (transposed for a layer with few
/// outputs), so that each member's slice is the product its solo step computes. Gradients go to the stacked
/// parameters' <c>.grad</c>, the weight gradient masked; a layer whose members have no pruned weight skips the masking.
/// </summary>
public sealed class BundledLinear(Parameter weight, Parameter bias, Tensor mask)
{
    private readonly Tensor? _mask = mask.min().item<float>() == 1 ? null : mask;

    private static readonly long[] BatchDimension = [2];

    /// <summary>Hᵀ = W·Aᵀ + b per member: [K, out, B] from Aᵀ [K, in, B] (for the first layer a transposed view of the
    /// row-major images [K, B, in]).</summary>
    public Tensor Forward(Tensor inputT) =>
        DenseLinearKernel.FewRows(weight.shape[1], inputT.shape[1])
            ? inputT.transpose(1, 2).bmm(weight.transpose(1, 2)).add_(bias.unsqueeze(1)).transpose(1, 2).contiguous()
            : weight.bmm(inputT).add_(bias.unsqueeze(2));

    /// <summary>Sets the masked weight gradient and the bias gradient from Gᵀ [K, out, B] and the forward input; returns
    /// dL/dAᵀ [K, in, B] when <paramref name="inputGradient"/>.</summary>
    public Tensor? Backward(Tensor gradientT, Tensor inputT, bool inputGradient)
    {
        var weightGradient = DenseLinearKernel.FewRows(gradientT.shape[1], inputT.shape[1])
            ? inputT.bmm(gradientT.transpose(1, 2)).transpose(1, 2).contiguous()
            : gradientT.bmm(inputT.transpose(1, 2));
        weight.grad = _mask is null ? weightGradient : weightGradient.mul_(_mask);
        bias.grad = gradientT.sum(BatchDimension);
        return inputGradient ? weight.transpose(1, 2).bmm(gradientT) : null;
    }

    /// <summary>Pruned weights are zero again after the optimiser's step, as <see cref="DenseLinearKernel.Update"/>.</summary>
    public void Update()
    {
        if (_mask is not null)
        {
            using var _ = no_grad();
            weight.mul_(_mask);
        }
    }
}
