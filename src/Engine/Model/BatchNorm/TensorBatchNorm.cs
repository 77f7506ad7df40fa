using Grid.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Model.BatchNorm;

/// <summary>
/// BatchNorm from libtorch tensor operations whose reductions run over the batch dimension one column at a time: any
/// device (the CUDA path) and the reference the CPU kernel is tested against. Every Scalar is held until its call
/// returns (see <see cref="TorchScalars"/>).
/// </summary>
public sealed class TensorBatchNorm : IBatchNormKernel
{
    private static readonly long[] BatchDimension = [0];

    public (Tensor Output, BatchNormStatistics Statistics) Forward(Tensor h, Tensor gamma, Tensor beta, double epsilon)
    {
        using var scope = NewDisposeScope();
        using var count = ((double)h.shape[0]).ToScalar();
        using var eps = epsilon.ToScalar();
        var mean = h.sum(BatchDimension).div_(count);
        var centred = h.sub(mean);
        var variance = centred.mul(centred).sum(BatchDimension).div_(count);
        var inverseStd = variance.add(eps, TorchScalars.One).rsqrt_();
        var output = centred.mul_(inverseStd.mul(gamma)).add_(beta, TorchScalars.One);
        return (output.MoveToOuterDisposeScope(),
            new BatchNormStatistics(mean.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope(), inverseStd.MoveToOuterDisposeScope()));
    }

    public (Tensor Input, Tensor Gamma, Tensor Beta) Backward(Tensor du, Tensor h, Tensor gamma, BatchNormStatistics statistics)
    {
        using var scope = NewDisposeScope();
        using var count = ((double)h.shape[0]).ToScalar();
        var xhat = h.sub(statistics.Mean).mul_(statistics.InverseStd);
        var dbeta = du.sum(BatchDimension);
        var dgamma = du.mul(xhat).sum(BatchDimension);
        // dh = gamma·invstd·(du - dbeta/n - xhat·dgamma/n)
        var dh = du.sub(dbeta.div(count));
        dh.sub_(xhat.mul_(dgamma.div(count))).mul_(gamma.mul(statistics.InverseStd));
        return (dh.MoveToOuterDisposeScope(), dgamma.MoveToOuterDisposeScope(), dbeta.MoveToOuterDisposeScope());
    }
}
