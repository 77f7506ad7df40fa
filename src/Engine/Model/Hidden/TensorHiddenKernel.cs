using Grid.Engine.Runtime;
using Grid.Engine.Training.Backprop;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Model.Hidden;

/// <summary>
/// The hidden layer's non-linear part on feature-major [C, N] activations from libtorch tensor operations: any device
/// (the CUDA path) and the reference the SIMD kernel is tested against. Every Scalar is held until its call returns
/// (see <see cref="TorchScalars"/>).
/// </summary>
public sealed class TensorHiddenKernel : IHiddenKernel
{
    private static readonly long[] BatchDimension = [1];

    public HiddenState Forward(Tensor h, Tensor? gamma, Tensor? beta, double epsilon)
    {
        if (gamma is null || beta is null)
        {
            return new HiddenState(h, nn.functional.relu(h), null, null, null);
        }

        using var scope = NewDisposeScope();
        using var count = ((double)h.shape[1]).ToScalar();
        using var eps = epsilon.ToScalar();
        var mean = h.sum(BatchDimension).div_(count);
        var centred = h.sub(mean.unsqueeze(1));
        var variance = centred.mul(centred).sum(BatchDimension).div_(count);
        var inverseStd = variance.add(eps, TorchScalars.One).rsqrt_();
        var output = centred.mul_(inverseStd.mul(gamma).unsqueeze(1)).add_(beta.unsqueeze(1), TorchScalars.One).relu_();
        return new HiddenState(h, output.MoveToOuterDisposeScope(), mean.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope(), inverseStd.MoveToOuterDisposeScope());
    }

    public (Tensor Input, Tensor? Gamma, Tensor? Beta) Backward(Tensor da, HiddenState state, Tensor? gamma)
    {
        using var scope = NewDisposeScope();
        var du = da.masked_fill(state.Output!.le(TorchScalars.Zero), TorchScalars.Zero);
        if (gamma is null || state.Mean is null || state.InverseStd is null)
        {
            return (du.MoveToOuterDisposeScope(), null, null);
        }

        using var count = ((double)state.PreActivation.shape[1]).ToScalar();
        var xhat = state.PreActivation.sub(state.Mean.unsqueeze(1)).mul_(state.InverseStd.unsqueeze(1));
        var dbeta = du.sum(BatchDimension);
        var dgamma = du.mul(xhat).sum(BatchDimension);
        // dh = gamma·invstd·(du - dbeta/n - xhat·dgamma/n)
        var dh = du.sub(dbeta.div(count).unsqueeze(1));
        dh.sub_(xhat.mul_(dgamma.div(count).unsqueeze(1))).mul_(gamma.mul(state.InverseStd).unsqueeze(1));
        return (dh.MoveToOuterDisposeScope(), dgamma.MoveToOuterDisposeScope(), dbeta.MoveToOuterDisposeScope());
    }

    /// <summary>False: packed activations serve the sparse kernels, which run on the CPU with the SIMD kernel.</summary>
    public bool WritesPacked => false;

    public HiddenState ForwardPacked(Tensor h, Tensor? gamma, Tensor? beta, double epsilon, PackedRows output) =>
        throw new NotSupportedException("the tensor hidden kernel writes no packed activations");

    public (Tensor InputSums, Tensor? Gamma, Tensor? Beta) BackwardPacked(Tensor da, HiddenState state, Tensor? gamma, PackedRows inputGradient) =>
        throw new NotSupportedException("the tensor hidden kernel writes no packed activations");
}
