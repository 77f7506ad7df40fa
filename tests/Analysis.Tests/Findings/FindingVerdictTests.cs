using Grid.Analysis.Findings;
using Grid.Analysis.Locality;
using Grid.Analysis.Masks;
using Grid.Analysis.Observables;

namespace Grid.Analysis.Tests.Findings;

/// <summary>The verdicts on masks built to show a finding or not, and at the thresholds of docs/findings.md.</summary>
public sealed class FindingVerdictTests
{
    private static readonly InputGeometry Fashion = new(1, 28, 28);
    private static readonly InputGeometry Colour = new(3, 16, 16);

    [Fact]
    public void Masks_of_compact_patches_are_local_against_the_degree_preserving_null()
    {
        var mask = SyntheticMasks.Local(Fashion, nodes: 128, seed: 1);

        var finding = LocalityAgainstNull.Evaluate(3, 0.01, LocalityComparison.Compare(mask, Fashion));

        Assert.Equal(Verdict.Seen, finding.Verdict);
        Assert.True(finding.Numbers["ratio_to_null"] < 0.3, finding.Line);
        Assert.StartsWith("local connectivity at u = 1 %: mean S^sc distance ", finding.Line);
        Assert.EndsWith("— seen", finding.Line);
    }

    [Fact]
    public void Colour_patches_are_local_too()
    {
        var finding = LocalityAgainstNull.Evaluate(1, 0.02, LocalityComparison.Compare(SyntheticMasks.Local(Colour, 96, seed: 2), Colour));

        Assert.Equal(Verdict.Seen, finding.Verdict);
    }

    [Fact]
    public void Randomly_pruned_masks_are_not_local()
    {
        var mask = SyntheticMasks.Random(128, Fashion.InputCount, 0.03, seed: 3);

        var finding = LocalityAgainstNull.Evaluate(5, 0.03, LocalityComparison.Compare(mask, Fashion));

        Assert.Equal(Verdict.NotSeen, finding.Verdict);
        Assert.InRange(finding.Numbers["ratio_to_null"], 0.97, 1.03);
        Assert.EndsWith("— not seen at this scale", finding.Line);
    }

    [Fact]
    public void A_few_local_nodes_among_random_ones_are_a_weak_locality()
    {
        var mask = SyntheticMasks.PartlyLocal(Fashion, 256, localShare: 0.15, seed: 4);

        var finding = LocalityAgainstNull.Evaluate(5, 0.01, LocalityComparison.Compare(mask, Fashion));

        Assert.True(finding.Verdict == Verdict.Weak, finding.Line);
    }

    [Theory]
    [InlineData(8.0, 10.0, 0.5, Verdict.Seen)]       // 0.80x, z = -4
    [InlineData(8.5, 10.0, 0.5, Verdict.Seen)]       // 0.85x: at the threshold
    [InlineData(9.0, 10.0, 0.1, Verdict.Weak)]       // 0.90x, z = -10
    [InlineData(9.6, 10.0, 0.1, Verdict.NotSeen)]    // 0.96x: too small however sure
    [InlineData(8.0, 10.0, 1.0, Verdict.NotSeen)]    // 0.80x but z = -2: within the null's noise
    [InlineData(11.0, 10.0, 0.1, Verdict.NotSeen)]   // less local than the null
    [InlineData(double.NaN, 10.0, 0.1, Verdict.NotMeasured)]
    public void Locality_thresholds(double observed, double nullMean, double nullStd, Verdict expected) =>
        Assert.Equal(expected, LocalityAgainstNull.Evaluate(1, 0.01, observed, nullMean, nullStd, 12.0).Verdict);

    [Fact]
    public void A_heavy_tailed_connectivity_is_seen_and_a_binomial_one_is_not()
    {
        var heavy = SyntheticMasks.HeavyTailed(512, Fashion.InputCount, u: 0.01, heavyShare: 0.05, heavyU: 0.1, seed: 5);
        var binomial = SyntheticMasks.Random(512, Fashion.InputCount, 0.0145, seed: 6);

        var tail = ConnectivityTail.Evaluate(4, Connectivity.UnprunedFraction(heavy), Connectivity.InputConnectivity(heavy), Fashion.InputCount);
        var none = ConnectivityTail.Evaluate(4, Connectivity.UnprunedFraction(binomial), Connectivity.InputConnectivity(binomial), Fashion.InputCount);

        Assert.Equal(Verdict.Seen, tail.Verdict);
        Assert.InRange(tail.Numbers["share_above_quantile"], 0.049, 0.06);
        Assert.Contains("% of layer-1 nodes (", tail.Line);
        Assert.Contains("above the binomial 99.9 % quantile", tail.Line);
        Assert.Equal(Verdict.NotSeen, none.Verdict);
        Assert.True(none.Numbers["nodes_above_quantile"] <= 2, none.Line);
        Assert.InRange(none.Numbers["null_share_above_quantile"], 0, 0.001);
    }

    [Fact]
    public void The_tail_quantile_and_its_null_mass_are_those_of_the_binomial()
    {
        // Binomial(100, 0.1): P(C <= 20) = 0.99919, P(C <= 19) = 0.99802, so the 99.9 % quantile is 20 and 0.081 % lie above.
        int[] connectivity = [.. Enumerable.Repeat(10, 997), 21, 22, 30];

        var finding = ConnectivityTail.Evaluate(2, 0.1, connectivity, 100);

        Assert.Equal(20, finding.Numbers["quantile"]);
        Assert.Equal(0.00081, finding.Numbers["null_share_above_quantile"], 5);
        Assert.Equal(3, finding.Numbers["nodes_above_quantile"]);
        // 3 nodes where 0.81 are expected: P ~ 0.05, neither seen nor weak.
        Assert.Equal(Verdict.NotSeen, finding.Verdict);
    }

    [Theory]
    [InlineData(1, Verdict.NotSeen)]
    [InlineData(2, Verdict.Weak)]   // 2 of 128 where about 0.1 are expected: P < 0.01 but not < 0.001
    [InlineData(4, Verdict.Seen)]
    public void A_few_nodes_of_a_small_layer_above_the_quantile(int above, Verdict expected)
    {
        int[] connectivity = [.. Enumerable.Repeat(8, 128 - above), .. Enumerable.Repeat(60, above)];

        Assert.Equal(expected, ConnectivityTail.Evaluate(2, 0.01, connectivity, 784).Verdict);
    }

    [Fact]
    public void The_dense_layer_has_no_tail_to_measure() =>
        Assert.Equal(Verdict.NotMeasured, ConnectivityTail.Evaluate(0, 1, [.. Enumerable.Repeat(784, 10)], 784).Verdict);

    [Theory]
    [InlineData(3, 0.8736, 0.8684, 10_000, Verdict.NotSeen)]  // the quickstart: +0.5 points, 1.1 standard errors
    [InlineData(9, 0.12, 0.09, 10_000, Verdict.Seen)]         // the paper's ImageNet32: 9 % to 12 %
    [InlineData(2, 0.80, 0.78, 5_000, Verdict.Weak)]          // 2 points on 5,000 images: 2.5 standard errors
    [InlineData(0, 0.85, 0.85, 10_000, Verdict.NotSeen)]      // the dense network is the best
    public void Accuracy_gain_against_the_validation_noise(int iteration, double best, double dense, int images, Verdict expected)
    {
        var finding = AccuracyGain.Evaluate(iteration, 0.3, best, dense, images);

        Assert.Equal(expected, finding.Verdict);
        if (iteration == 0)
        {
            Assert.Contains("the dense network (iteration 0, 85 %) is the run's best", finding.Line);
        }
    }

    [Theory]
    [InlineData(0.40, 0.98, Verdict.Seen)]
    [InlineData(0.88, 0.98, Verdict.Weak)]
    [InlineData(0.96, 0.98, Verdict.NotSeen)]
    [InlineData(0.99, 0.95, Verdict.NotSeen)]
    public void Node_removal_compares_the_two_orders_at_a_quarter_of_the_nodes(double mostFirst, double leastFirst, Verdict expected)
    {
        NodeRemovalOrder.Point[] points =
        [
            new(true, 0, 1), new(true, 16, 0.9), new(true, 32, mostFirst), new(true, 64, 0.2), new(true, 128, 0.1),
            new(false, 0, 1), new(false, 16, 1), new(false, 32, leastFirst), new(false, 64, 0.9), new(false, 128, 0.1),
        ];

        var finding = NodeRemovalOrder.Evaluate(4, 0.05, points, accuracy: 0.85, validationImages: 10_000);

        Assert.Equal(expected, finding.Verdict);
        Assert.Equal(32, finding.Numbers["removed_nodes"]);
        Assert.Contains("removing the 32 most connected of 128 layer-1 nodes", finding.Line);
    }
}
