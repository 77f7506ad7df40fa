using Grid.Engine.Pruning;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Pruning;

public sealed class MagnitudePruningTests
{
    private static readonly bool[] Prunable = [true, true, false];

    private static Tensor[] RandomWeights(long seed)
    {
        Runtime.TorchRuntime.EnsureLoaded();
        using var g = new Generator((ulong)seed);
        return [randn([30, 40], generator: g), randn([20, 30], generator: g), randn([5, 20], generator: g)];
    }

    [Fact]
    public void LayerWiseIterationsLeaveUEqualToOneMinusPToTheN()
    {
        const double p = 0.3;
        var mask = MaskSet.Dense([40, 30, 20, 5]);
        for (int n = 1; n <= 6; n++)
        {
            var weights = RandomWeights(n);
            var next = MagnitudePruning.LayerWise(weights, mask, Prunable, Math.Pow(1 - p, n));
            var densities = next.LayerDensities();
            Assert.Equal(Math.Round(1200 * Math.Pow(1 - p, n)) / 1200, densities[0], 12);
            Assert.Equal(Math.Round(600 * Math.Pow(1 - p, n)) / 600, densities[1], 12);
            Assert.Equal(1.0, densities[2]);
            Assert.Equal(0, next.Masks[0].gt(mask.Masks[0]).sum().item<long>()); // pruned weights never come back
            mask.Dispose();
            mask = next;
        }
    }

    [Fact]
    public void LayerWiseKeepsTheLargestMagnitudes()
    {
        var weights = RandomWeights(1);
        using var mask = MagnitudePruning.LayerWise(weights, MaskSet.Dense([40, 30, 20, 5]), Prunable, 0.25);
        var kept = weights[0].abs().masked_select(mask.Masks[0].gt(0));
        var dropped = weights[0].abs().masked_select(mask.Masks[0].eq(0));
        Assert.True(kept.min().item<float>() >= dropped.max().item<float>());
    }

    [Fact]
    public void GlobalPruningUsesOneThresholdAcrossLayers()
    {
        var weights = RandomWeights(2);
        weights[1].mul_(3); // layer 2 has larger weights, so it must keep a larger share
        using var mask = MagnitudePruning.Global(weights, MaskSet.Dense([40, 30, 20, 5]), Prunable, 0.2);
        Assert.Equal(Math.Round(1800 * 0.2), mask.Masks[0].sum().item<float>() + mask.Masks[1].sum().item<float>());
        float threshold = Math.Min(
            weights[0].abs().masked_select(mask.Masks[0].gt(0)).min().item<float>(),
            weights[1].abs().masked_select(mask.Masks[1].gt(0)).min().item<float>());
        float largestDropped = Math.Max(
            weights[0].abs().masked_select(mask.Masks[0].eq(0)).max().item<float>(),
            weights[1].abs().masked_select(mask.Masks[1].eq(0)).max().item<float>());
        Assert.True(threshold >= largestDropped);
        Assert.True(mask.LayerDensities()[1] > mask.LayerDensities()[0]);
        Assert.Equal(1.0, mask.LayerDensities()[2]);
    }

    [Fact]
    public void StopCriterionFiresWhenFewNodesKeepAnIncomingWeight()
    {
        var masks = MaskSet.Dense([10, 10, 2]);
        Assert.Null(StopCriterion.Check(masks, [true, false], 0.2));
        masks.Masks[0].narrow(0, 2, 8).zero_(); // only 2 of 10 nodes keep inputs
        string? reason = StopCriterion.Check(masks, [true, false], 0.2);
        Assert.NotNull(reason);
        Assert.Contains("layer 1", reason);
        masks.Masks[0][1].zero_();
        Assert.Null(StopCriterion.Check(masks, [false, false], 0.2)); // unprunable layers never stop a run
    }

    [Fact]
    public void RandomPruningKeepsExactlyTheRequestedCount()
    {
        using var g = new Generator(9);
        using var mask = RandomStrategy.RandomMask(MaskSet.Dense([40, 30, 20, 5]), Prunable, 0.137, g);
        Assert.Equal(Math.Round(1200 * 0.137), mask.Masks[0].sum().item<float>());
        Assert.Equal(Math.Round(600 * 0.137), mask.Masks[1].sum().item<float>());
        Assert.Equal(100, mask.Masks[2].sum().item<float>());
    }
}
