using Grid.Engine.Model.Hidden;
using Grid.Engine.Runtime;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class HiddenKernelTests
{
    [Theory]
    [InlineData(100, 128)]
    [InlineData(1000, 300)]
    [InlineData(37, 19)] // columns that are not a multiple of the vector width or the block
    public void The_simd_kernel_matches_libtorch_s_batch_norm_and_relu_forward_and_backward(int n, int c)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (h, gamma, beta, da) = Inputs(n, c, seed: 3);

        var kernel = new SimdHiddenKernel(() => 2);
        using var state = kernel.Forward(h.t().contiguous(), gamma, beta, 1e-3);
        var (dhT, dgamma, dbeta) = kernel.Backward(da.t().contiguous(), state, gamma);
        var dh = dhT.t();

        var hv = h.clone().requires_grad_(true);
        var gv = gamma.clone().requires_grad_(true);
        var bv = beta.clone().requires_grad_(true);
        var reference = nn.functional.relu(nn.functional.batch_norm(hv, null, null, gv, bv, training: true, momentum: 0.1, eps: 1e-3));
        reference.backward([da]);

        AssertClose(reference.detach(), state.Output!.t(), 1e-4);
        AssertClose(h.mean([0]), state.Mean!, 1e-5);
        AssertClose(h.var([0], unbiased: false), state.Variance!, 1e-3);
        AssertClose(hv.grad!, dh, 1e-4);
        AssertClose(gv.grad!, dgamma!, 1e-3);
        AssertClose(bv.grad!, dbeta!, 1e-3);
    }

    [Fact]
    public void Without_batch_norm_the_kernels_are_relu()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (h, _, _, da) = Inputs(50, 70, seed: 4);

        using var state = new SimdHiddenKernel(() => 1).Forward(h.t().contiguous(), null, null, 1e-3);
        var (dhT, dgamma, dbeta) = new SimdHiddenKernel(() => 1).Backward(da.t().contiguous(), state, null);
        var dh = dhT.t();

        AssertClose(nn.functional.relu(h), state.Output!.t(), 0);
        AssertClose(da.mul(h.gt(0)), dh, 0);
        Assert.Null(dgamma);
        Assert.Null(dbeta);
    }

    [Fact]
    public void The_simd_kernel_gives_the_same_bits_with_one_thread_and_with_four()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (h, gamma, beta, da) = Inputs(1000, 1000, seed: 5);

        using var one = new SimdHiddenKernel(() => 1).Forward(h, gamma, beta, 1e-3);
        using var four = new SimdHiddenKernel(() => 4).Forward(h, gamma, beta, 1e-3);
        var oneBackward = new SimdHiddenKernel(() => 1).Backward(da, one, gamma);
        var fourBackward = new SimdHiddenKernel(() => 4).Backward(da, four, gamma);

        Assert.True(one.Output!.eq(four.Output!).all().item<bool>());
        Assert.True(oneBackward.Input.eq(fourBackward.Input).all().item<bool>());
        Assert.True(oneBackward.Gamma!.eq(fourBackward.Gamma!).all().item<bool>());
        Assert.True(oneBackward.Beta!.eq(fourBackward.Beta!).all().item<bool>());
    }

    [Fact]
    public void The_tensor_kernel_agrees_with_the_simd_kernel()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (rows, gamma, beta, rowGradient) = Inputs(64, 40, seed: 9);
        var h = rows.t().contiguous(); // feature-major [40, 64]
        var da = rowGradient.t().contiguous();

        using var simd = new SimdHiddenKernel(() => 1).Forward(h, gamma, beta, 1e-3);
        using var tensor = new TensorHiddenKernel().Forward(h, gamma, beta, 1e-3);
        var simdBackward = new SimdHiddenKernel(() => 1).Backward(da, simd, gamma);
        var tensorBackward = new TensorHiddenKernel().Backward(da, tensor, gamma);

        AssertClose(simd.Output!, tensor.Output!, 1e-5);
        AssertClose(simdBackward.Input, tensorBackward.Input, 1e-5);
        AssertClose(simdBackward.Gamma!, tensorBackward.Gamma!, 1e-4);
        AssertClose(simdBackward.Beta!, tensorBackward.Beta!, 1e-4);
    }

    [Theory]
    [InlineData(100, 128, true)]
    [InlineData(1000, 30, false)]
    [InlineData(37, 19, true)] // a batch that is not a multiple of the vector width or the chunk
    public unsafe void Packed_output_and_input_gradient_are_the_tensor_ones_packed_bit_for_bit(int n, int c, bool batchNorm)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (rows, gamma, beta, rowGradient) = Inputs(n, c, seed: 6);
        var h = rows.t().contiguous();
        var da = rowGradient.t().contiguous();
        var kernel = new SimdHiddenKernel(() => 2);
        Tensor? scale = batchNorm ? gamma : null, shift = batchNorm ? beta : null;

        using var state = kernel.Forward(h, scale, shift, 1e-3);
        var (dh, dgamma, dbeta) = kernel.Backward(da, state, scale);
        using var packedOutput = new PackedRows();
        using var packedGradient = new PackedRows();
        using var packedState = kernel.ForwardPacked(h, scale, shift, 1e-3, packedOutput);
        var (sums, packedDgamma, packedDbeta) = kernel.BackwardPacked(da, packedState, scale, packedGradient);

        Assert.Null(packedState.Output);
        using var expectedOutput = new PackedRows();
        using var expectedGradient = new PackedRows();
        expectedOutput.FillRows(TensorMemory.Floats(state.Output!), c, n, threads: 1);
        expectedGradient.FillRows(TensorMemory.Floats(dh), c, n, threads: 1);
        int floats = c * SparseProducts.Chunk * ((n + SparseProducts.Chunk - 1) / SparseProducts.Chunk);
        Assert.True(new ReadOnlySpan<float>(expectedOutput.Chunk(0), floats).SequenceEqual(new ReadOnlySpan<float>(packedOutput.Chunk(0), floats)), "packed output");
        Assert.True(new ReadOnlySpan<float>(expectedGradient.Chunk(0), floats).SequenceEqual(new ReadOnlySpan<float>(packedGradient.Chunk(0), floats)), "packed input gradient");
        AssertClose(dh.sum([1]), sums, 1e-5);
        Assert.Equal(batchNorm, packedDgamma is not null);
        if (batchNorm)
        {
            Assert.True(dgamma!.eq(packedDgamma!).all().item<bool>() && dbeta!.eq(packedDbeta!).all().item<bool>(), "BatchNorm's gradients");
        }
    }

    private static (Tensor H, Tensor Gamma, Tensor Beta, Tensor Da) Inputs(int n, int c, int seed)
    {
        var generator = new Generator((ulong)seed);
        return (randn([n, c], generator: generator).mul_(3).add_(1), rand([c], generator: generator).add_(0.5),
            randn([c], generator: generator), randn([n, c], generator: generator));
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        double scale = Math.Max(1, expected.abs().max().item<float>());
        Assert.True(difference <= tolerance * scale, $"max |difference| {difference:G3} > {tolerance:G3} x {scale:G3}");
    }
}
