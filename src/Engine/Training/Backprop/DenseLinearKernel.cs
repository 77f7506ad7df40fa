using Grid.Engine.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// A linear layer as dense matrix products (libtorch's BLAS), the pruned weights masked out of the gradient. Its weight
/// and bias gradients go to <c>.grad</c> for <see cref="ParameterUpdate"/>. A layer without pruned weights (the output
/// layer) skips the masking.
/// </summary>
public sealed class DenseLinearKernel(Linear linear, Tensor mask) : ILinearKernel
{
    private readonly Tensor? _mask = mask.min().item<float>() == 1 ? null : mask;

    private static readonly long[] BatchDimension = [1];

    /// <summary>Layers with fewer outputs than this (and fewer than inputs) take the transposed weight-gradient product.</summary>
    private const long FewOutputs = 64;

    public string Kind => "dense";

    public bool UpdatesWeights => false;

    /// <summary>Hᵀ = W·Aᵀ + b, or (A·Wᵀ + b)ᵀ for a layer with few outputs (see <see cref="FewRows"/>). A product plus an
    /// add: addmm with a broadcast bias took a slower path for 1000 outputs (13.7 against 10.3 ms here).</summary>
    public Tensor Forward(Tensor inputT) =>
        FewRows(linear.weight!.shape[0], inputT.shape[0])
            ? inputT.t().mm(linear.weight!.t()).add_(linear.bias!, TorchScalars.One).t().contiguous()
            : linear.weight!.mm(inputT).add_(linear.bias!.unsqueeze(1), TorchScalars.One);

    public Tensor? Backward(Tensor gradientT, Tensor inputT, bool inputGradient)
    {
        var weightGradient = WeightGradient(gradientT, inputT);
        linear.weight!.grad = _mask is null ? weightGradient : weightGradient.mul_(_mask);
        linear.bias!.grad = gradientT.sum(BatchDimension);
        return inputGradient ? linear.weight!.t().mm(gradientT) : null;
    }

    /// <summary>Nothing: pruned weights start zero (the trainer masks the weights) and stay zero without a pass over the
    /// layer, since their gradient is masked and the optimisers add exactly zero for a zero gradient (SGD; Adam, whose
    /// moments start at zero). Multiplying by the mask again, as this did until 2026-11-30, changed no bits.</summary>
    public void Update()
    {
    }

    public void Dispose()
    {
    }

    /// <summary>dW = Gᵀ·A, [out, in], a sum over the batch; (Aᵀ·G)ᵀ for a layer with few outputs.</summary>
    private static Tensor WeightGradient(Tensor gradientT, Tensor inputT) =>
        FewRows(gradientT.shape[0], inputT.shape[0])
            ? inputT.mm(gradientT.t()).t().contiguous()
            : gradientT.mm(inputT.t());

    /// <summary>
    /// BLAS splits the inner sum of a product between threads when the product has few rows (the output layer's 10
    /// classes), which makes the bits depend on the thread count; with the many inputs or the batch as rows it does not
    /// (measured for the products of every network here: docs/throughput.md). The transposed form costs a copy, so it
    /// is used only for layers with few outputs; <see cref="ThreadCalibration"/> checks the outcome on each host.
    /// </summary>
    public static bool FewRows(long outputs, long inputs) => outputs < Math.Min(inputs, FewOutputs);
}
