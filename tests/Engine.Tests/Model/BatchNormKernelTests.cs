using Grid.Engine.Model.BatchNorm;
using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class BatchNormKernelTests
{
    [Theory]
    [InlineData(100, 128)]
    [InlineData(1000, 300)]
    [InlineData(37, 19)] // columns that are not a multiple of the vector width or the block
    public void The_cpu_kernel_matches_libtorch_s_batch_norm_forward_and_backward(int n, int c)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var h = randn([n, c], generator: generator).mul_(3).add_(1);
        var gamma = rand([c], generator: generator).add_(0.5);
        var beta = randn([c], generator: generator);
        var du = randn([n, c], generator: generator);

        var (output, statistics) = new ColumnBatchNorm(() => 2).Forward(h, gamma, beta, 1e-3);
        var (dh, dgamma, dbeta) = new ColumnBatchNorm(() => 2).Backward(du, h, gamma, statistics);

        var hv = h.clone().requires_grad_(true);
        var gv = gamma.clone().requires_grad_(true);
        var bv = beta.clone().requires_grad_(true);
        var reference = nn.functional.batch_norm(hv, null, null, gv, bv, training: true, momentum: 0.1, eps: 1e-3);
        reference.backward([du]);

        AssertClose(reference.detach(), output, 1e-4);
        AssertClose(h.mean([0]), statistics.Mean, 1e-5);
        AssertClose(h.var([0], unbiased: false), statistics.Variance, 1e-3);
        AssertClose(hv.grad!, dh, 1e-4);
        AssertClose(gv.grad!, dgamma, 1e-3);
        AssertClose(bv.grad!, dbeta, 1e-3);
    }

    [Fact]
    public void The_cpu_kernel_gives_the_same_bits_with_one_thread_and_with_four()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var h = randn([1000, 1024], generator: generator);
        var gamma = rand([1024], generator: generator);
        var beta = randn([1024], generator: generator);
        var du = randn([1000, 1024], generator: generator);

        var (one, oneStatistics) = new ColumnBatchNorm(() => 1).Forward(h, gamma, beta, 1e-3);
        var (four, fourStatistics) = new ColumnBatchNorm(() => 4).Forward(h, gamma, beta, 1e-3);
        var oneBackward = new ColumnBatchNorm(() => 1).Backward(du, h, gamma, oneStatistics);
        var fourBackward = new ColumnBatchNorm(() => 4).Backward(du, h, gamma, fourStatistics);

        Assert.True(one.eq(four).all().item<bool>());
        Assert.True(oneBackward.Input.eq(fourBackward.Input).all().item<bool>());
        Assert.True(oneBackward.Gamma.eq(fourBackward.Gamma).all().item<bool>());
        Assert.True(oneBackward.Beta.eq(fourBackward.Beta).all().item<bool>());
    }

    [Fact]
    public void The_tensor_kernel_agrees_with_the_cpu_kernel()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(9);
        var h = randn([64, 40], generator: generator);
        var gamma = rand([40], generator: generator);
        var beta = randn([40], generator: generator);
        var du = randn([64, 40], generator: generator);

        var (cpu, cpuStatistics) = new ColumnBatchNorm(() => 1).Forward(h, gamma, beta, 1e-3);
        var (tensor, tensorStatistics) = new TensorBatchNorm().Forward(h, gamma, beta, 1e-3);
        var cpuBackward = new ColumnBatchNorm(() => 1).Backward(du, h, gamma, cpuStatistics);
        var tensorBackward = new TensorBatchNorm().Backward(du, h, gamma, tensorStatistics);

        AssertClose(cpu, tensor, 1e-5);
        AssertClose(cpuBackward.Input, tensorBackward.Input, 1e-5);
        AssertClose(cpuBackward.Gamma, tensorBackward.Gamma, 1e-4);
        AssertClose(cpuBackward.Beta, tensorBackward.Beta, 1e-4);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        double scale = Math.Max(1, expected.abs().max().item<float>());
        Assert.True(difference <= tolerance * scale, $"max |difference| {difference:G3} > {tolerance:G3} x {scale:G3}");
    }
}
