using Grid.Engine.Runtime;
using Grid.Engine.Training.Backprop;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Bundles;

/// <summary>
/// One linear layer of a bundle on feature-major activations [K, features, B]: <see cref="DenseLinearKernel"/>'s
/// products over the K members at once, in the same forms (transposed for a layer with few outputs), so that each
/// member's slice is the product its solo step computes: one batched product (bmm) for small products, one product per
/// member into its slice for large ones (<see cref="BatchedBelow"/>). Gradients go to the stacked
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
            ? Product(inputT.transpose(1, 2), weight.transpose(1, 2)).add_(bias.unsqueeze(1), TorchScalars.One).transpose(1, 2).contiguous()
            : Product(weight, inputT).add_(bias.unsqueeze(2), TorchScalars.One);

    /// <summary>Sets the masked weight gradient and the bias gradient from Gᵀ [K, out, B] and the forward input; returns
    /// dL/dAᵀ [K, in, B] when <paramref name="inputGradient"/>.</summary>
    public Tensor? Backward(Tensor gradientT, Tensor inputT, bool inputGradient)
    {
        var weightGradient = DenseLinearKernel.FewRows(gradientT.shape[1], inputT.shape[1])
            ? Product(inputT, gradientT.transpose(1, 2)).transpose(1, 2).contiguous()
            : Product(gradientT, inputT.transpose(1, 2));
        weight.grad = _mask is null ? weightGradient : weightGradient.mul_(_mask);
        bias.grad = gradientT.sum(BatchDimension);
        return inputGradient ? Product(weight.transpose(1, 2), gradientT) : null;
    }

    /// <summary>Members' products of at least this many multiply-adds each go one by one (mm into the member's slice): one
    /// bmm was no faster for the 1024-wide layers of the paper's and the Fashion-MNIST-scale networks on one thread and
    /// up to 25 % slower on two, while it is 1.1-3.5x faster than one product per member for the small layers of
    /// 784-128x3-10 at batch 100 (docs/throughput.md §4). Either way each slice has the bits of the solo product.</summary>
    public const long BatchedBelow = 1L << 26;

    /// <summary>A[k]·B[k] for every member k: [K, m, n] from [K, m, p] and [K, p, n] (views as they are).</summary>
    private static Tensor Product(Tensor a, Tensor b)
    {
        if (a.shape[1] * a.shape[2] * b.shape[2] < BatchedBelow)
        {
            return a.bmm(b);
        }

        var result = empty([a.shape[0], a.shape[1], b.shape[2]], dtype: a.dtype, device: a.device);
        for (long k = 0; k < a.shape[0]; k++)
        {
            using var slice = result.select(0, k);
            using var left = a.select(0, k);
            using var right = b.select(0, k);
            slice.addmm_(left, right, beta: 0, alpha: 1); // mm's own call (beta 0: the empty slice is not read)
        }

        return result;
    }
}
