using Grid.Analysis.Masks;
using Grid.Analysis.Observables;
using Grid.Analysis.Tests.Support;

namespace Grid.Analysis.Tests.Observables;

public class DisplacementHistogramTests
{
    [Theory]
    [InlineData(1, 2, 3)]
    [InlineData(3, 4, 4)]
    [InlineData(5, 0, 1)]
    public void SquarePatchInOneChannelGivesTheTriangleProduct(int k, int x0, int y0)
    {
        var geometry = new InputGeometry(3, 10, 12);
        var mask = TestMasks.SquarePatch(geometry, k, x0, y0, 1);

        DisplacementMap map = DisplacementHistogram.Compute(mask, geometry);

        for (int dy = -(geometry.Height - 1); dy < geometry.Height; dy++)
        {
            for (int dx = -(geometry.Width - 1); dx < geometry.Width; dx++)
            {
                double expected = (dx, dy) == (0, 0) ? 0 : Math.Max(0, k - Math.Abs(dx)) * Math.Max(0, k - Math.Abs(dy));
                Assert.Equal(expected, map.SameChannelAt(dx, dy));
                Assert.Equal(0, map.DifferentChannelAt(dx, dy));
            }
        }
        Assert.Equal(k * k, map.SameChannelAtZero);
        Assert.Equal(1, map.Nodes);
    }

    [Fact]
    public void PatchesInTwoChannelsGiveTheMatchingDifferentChannelCounts()
    {
        var geometry = new InputGeometry(3, 8, 8);
        const int k = 3;
        var mask = TestMasks.SquarePatch(geometry, k, 2, 1, 0, 2);

        DisplacementMap map = DisplacementHistogram.Compute(mask, geometry);

        for (int dy = -7; dy <= 7; dy++)
        {
            for (int dx = -7; dx <= 7; dx++)
            {
                double overlap = Math.Max(0, k - Math.Abs(dx)) * Math.Max(0, k - Math.Abs(dy));
                // two ordered channel pairs (0,2) and (2,0), each with the overlap count; d = 0 included
                Assert.Equal(2 * overlap, map.DifferentChannelAt(dx, dy));
                Assert.Equal((dx, dy) == (0, 0) ? 0 : 2 * overlap, map.SameChannelAt(dx, dy));
            }
        }
    }

    [Fact]
    public void ShiftedPatchesInDifferentChannelsAreCountedAtTheirDisplacement()
    {
        var geometry = new InputGeometry(2, 6, 7);
        var values = new byte[geometry.InputCount];
        values[geometry.IndexOf(0, 1, 1)] = 1;
        values[geometry.IndexOf(1, 3, 4)] = 1; // d = (3, 2) from channel 0 to channel 1
        var mask = new LayerMask(1, geometry.InputCount, values);

        DisplacementMap map = DisplacementHistogram.Compute(mask, geometry);

        Assert.Equal(1, map.DifferentChannelAt(3, 2));
        Assert.Equal(1, map.DifferentChannelAt(-3, -2));
        Assert.Equal(2, map.DifferentChannel.Sum());
        Assert.Equal(0, map.SameChannel.Sum());
    }

    [Theory]
    [InlineData(3, 7, 9, 0.08, 11, "DenseMatmul")]
    [InlineData(3, 7, 9, 0.08, 11, "SparseRows")]
    [InlineData(1, 5, 5, 0.3, 12, "DenseMatmul")]
    [InlineData(1, 5, 5, 0.3, 12, "SparseRows")]
    [InlineData(3, 4, 6, 1.0, 13, "DenseMatmul")]
    [InlineData(3, 4, 6, 1.0, 13, "SparseRows")]
    [InlineData(2, 6, 5, 0.02, 14, "Automatic")]
    public void GramMethodEqualsBruteForcePairEnumeration(int channels, int height, int width, double keep, int seed, string strategy)
    {
        var geometry = new InputGeometry(channels, height, width);
        var mask = TestMasks.Random(23, geometry.InputCount, keep, seed);

        DisplacementMap map = DisplacementHistogram.ComputeGrouped(mask, geometry, new int[mask.Nodes], 1, Enum.Parse<GramStrategy>(strategy))[0];
        var (same, different) = BruteForceDisplacement.Count(mask, geometry);

        for (int dy = -(height - 1); dy < height; dy++)
        {
            for (int dx = -(width - 1); dx < width; dx++)
            {
                Assert.Equal(same[dy + height - 1, dx + width - 1], map.SameChannelAt(dx, dy));
                Assert.Equal(different[dy + height - 1, dx + width - 1], map.DifferentChannelAt(dx, dy));
            }
        }
    }

    [Theory]
    [InlineData(0.005)]
    [InlineData(0.01)]
    [InlineData(0.2)]
    public void SparseAndDenseGramsAgreeOnPaperSizedMasks(double u)
    {
        var geometry = new InputGeometry(3, 32, 32);
        var mask = TestMasks.Random(256, geometry.InputCount, u, 3);
        var groups = new int[mask.Nodes];

        DisplacementMap dense = DisplacementHistogram.ComputeGrouped(mask, geometry, groups, 1, GramStrategy.DenseMatmul)[0];
        DisplacementMap sparse = DisplacementHistogram.ComputeGrouped(mask, geometry, groups, 1, GramStrategy.SparseRows)[0];

        Assert.Equal(dense.SameChannel, sparse.SameChannel);
        Assert.Equal(dense.DifferentChannel, sparse.DifferentChannel);
        Assert.Equal(dense.SameChannelAtZero, sparse.SameChannelAtZero);
    }

    [Fact]
    public void GroupedMapsSumToTheWholeLayerAndSkipUngroupedNodes()
    {
        var geometry = new InputGeometry(3, 6, 6);
        var mask = TestMasks.Random(30, geometry.InputCount, 0.2, 5);
        int[] groups = Enumerable.Range(0, 30).Select(j => j % 4 == 3 ? -1 : j % 4).ToArray();

        var grouped = DisplacementHistogram.ComputeGrouped(mask, geometry, groups, 3);
        var kept = DisplacementHistogram.Compute(mask, geometry, Enumerable.Range(0, 30).Where(j => j % 4 != 3));

        for (int k = 0; k < kept.SameChannel.Count; k++)
        {
            Assert.Equal(kept.SameChannel[k], grouped.Sum(g => g.SameChannel[k]));
            Assert.Equal(kept.DifferentChannel[k], grouped.Sum(g => g.DifferentChannel[k]));
        }
        Assert.Equal([8, 8, 7], grouped.Select(g => g.Nodes));
    }

    [Fact]
    public void AllOrderedPairsAddUpToTheSumOfSquaredConnectivity()
    {
        var geometry = new InputGeometry(3, 9, 7);
        var mask = TestMasks.Random(40, geometry.InputCount, 0.15, 21);

        DisplacementMap map = DisplacementHistogram.Compute(mask, geometry);

        long squares = Connectivity.InputConnectivity(mask).Sum(c => (long)c * c);
        Assert.Equal(squares, map.SameChannel.Sum() + map.DifferentChannel.Sum() + map.SameChannelAtZero);
        Assert.Equal(mask.CountConnections(), map.SameChannelAtZero);
    }

    [Fact]
    public void EmptyMaskGivesEmptyMaps()
    {
        var geometry = new InputGeometry(1, 3, 3);
        DisplacementMap map = DisplacementHistogram.Compute(new LayerMask(4, 9, new byte[36]), geometry);

        Assert.All(map.SameChannel, v => Assert.Equal(0, v));
        Assert.All(map.DifferentChannel, v => Assert.Equal(0, v));
        Assert.Equal(4, map.Nodes);
    }
}
