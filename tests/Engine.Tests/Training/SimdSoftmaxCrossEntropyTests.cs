using Grid.Engine.Runtime;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

/// <summary>The engine's SIMD softmax cross-entropy gives libtorch's loss, correct count and gradient for feature-major
/// logits, with the same bits on any number of threads.</summary>
public sealed class SimdSoftmaxCrossEntropyTests
{
    [Theory]
    [InlineData(10, 1000)]   // Fashion-MNIST's output, batch 1000: 15 blocks of 64 columns, then 40 (2 x 16 + 8)
    [InlineData(1000, 100)]  // the paper's 1000 classes; 100 = 64 + 36 (2 x 16 + 4 columns alone)
    [InlineData(3, 7)]       // fewer columns than a block
    public void It_matches_libtorchs_operations(int classes, int batch)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (logits, labels) = Logits(classes, batch);

        var (loss, correct, gradient) = SimdSoftmaxCrossEntropy.Run(logits, labels, threads: 2);
        var (expectedLoss, expectedCorrect, expectedGradient) = SoftmaxCrossEntropy.Tensors(logits, labels);

        Assert.Equal(expectedLoss.item<float>(), loss.item<float>(), 1e-5f);
        Assert.Equal(expectedCorrect.item<float>(), correct.item<float>());
        Assert.True(expectedCorrect.item<float>() > 0, "a test where nothing is correct would not test the count");
        float difference = (gradient - expectedGradient).abs().max().item<float>();
        Assert.True(difference <= 1e-7f, $"max |gradient difference| {difference:G3}");
    }

    [Fact]
    public void It_gives_the_same_bits_on_one_thread_and_on_two()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (logits, labels) = Logits(1000, 1000);

        var (oneLoss, oneCorrect, oneGradient) = SimdSoftmaxCrossEntropy.Run(logits, labels, threads: 1);
        var (twoLoss, twoCorrect, twoGradient) = SimdSoftmaxCrossEntropy.Run(logits, labels, threads: 2);

        Assert.Equal(oneLoss.item<float>(), twoLoss.item<float>());
        Assert.Equal(oneCorrect.item<float>(), twoCorrect.item<float>());
        Assert.True(oneGradient.eq(twoGradient).all().item<bool>());
    }

    [Theory]
    [InlineData(1000, 1000)]
    [InlineData(10, 100)]
    public void Vectors_of_512_bits_give_the_bits_of_256_bit_ones(int classes, int batch)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (logits, labels) = Logits(classes, batch);

        var (wideLoss, wideCorrect, wideGradient) = SimdSoftmaxCrossEntropy.Run(logits, labels, threads: 2, wide: true);
        var (narrowLoss, narrowCorrect, narrowGradient) = SimdSoftmaxCrossEntropy.Run(logits, labels, threads: 2, wide: false);

        Assert.Equal(narrowLoss.item<float>(), wideLoss.item<float>());
        Assert.Equal(narrowCorrect.item<float>(), wideCorrect.item<float>());
        Assert.True(narrowGradient.eq(wideGradient).all().item<bool>(), "the gradients' bits");
    }

    [Fact]
    public void Each_member_of_a_stack_gets_the_bits_it_gets_alone()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var members = Enumerable.Range(0, 3).Select(k => Logits(10, 100, seed: 11 + (ulong)k)).ToList();
        var logits = stack(members.Select(m => m.Logits));
        var labels = stack(members.Select(m => m.Labels));

        var (loss, correct, gradient) = SimdSoftmaxCrossEntropy.Run(logits, labels, threads: 2);

        Assert.Equal([3L], loss.shape);
        var (expectedLoss, expectedCorrect, expectedGradient) = SoftmaxCrossEntropy.Tensors(logits, labels); // off the CPU
        Assert.True(expectedLoss.allclose(loss, rtol: 1e-5, atol: 1e-6), "libtorch's per-member losses");
        Assert.True(expectedCorrect.eq(correct).all().item<bool>(), "libtorch's per-member correct counts");
        Assert.True((expectedGradient - gradient).abs().max().item<float>() <= 1e-7f, "libtorch's stacked gradient");
        for (int k = 0; k < members.Count; k++)
        {
            var (alone, aloneCorrect, aloneGradient) = SimdSoftmaxCrossEntropy.Run(members[k].Logits, members[k].Labels, threads: 1);
            Assert.Equal(alone.item<float>(), loss[k].item<float>());
            Assert.Equal(aloneCorrect.item<float>(), correct[k].item<float>());
            Assert.True(aloneGradient.eq(gradient[k]).all().item<bool>(), $"member {k}'s gradient");
        }
    }

    [Fact]
    public void A_label_that_is_not_a_class_is_refused_with_its_column()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (logits, labels) = Logits(10, 8000); // enough work for two threads: the refusal is not wrapped by them
        labels[7033] = tensor(10L);

        var error = Assert.Throws<ArgumentException>(() => SimdSoftmaxCrossEntropy.Run(logits, labels, threads: 2));
        Assert.Contains("label 10 of batch column 7033", error.Message);
    }

    [Theory]
    [InlineData(new long[] { 10 }, new long[] { 10 })]
    [InlineData(new long[] { 10, 40 }, new long[] { 10 })]
    [InlineData(new long[] { 2, 10, 40 }, new long[] { 40 })]
    public void Shapes_that_do_not_match_are_refused_with_both(long[] logits, long[] labels)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() => SimdSoftmaxCrossEntropy.Run(zeros(logits), zeros(labels, dtype: int64), threads: 1));
        Assert.Contains($"got [{string.Join(", ", logits)}] and [{string.Join(", ", labels)}]", error.Message);
    }

    /// <summary>Logits with a wide range (so that the largest dominates some columns) and labels that are the largest
    /// logit in about half the columns.</summary>
    private static (Tensor Logits, Tensor Labels) Logits(int classes, int batch, ulong seed = 7)
    {
        using var generator = new Generator(seed);
        var logits = randn([classes, batch], generator: generator).mul_(4);
        var labels = randint(classes, [batch], generator: generator);
        var best = logits.argmax(0);
        var half = arange(batch).remainder(2).eq(0);
        return (logits, where(half, best, labels).contiguous());
    }
}
