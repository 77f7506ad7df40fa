using Grid.Analysis.Masks;
using Grid.Analysis.Observables;

namespace Grid.Analysis.Tests.Observables;

public class RandomPruningReferenceTests
{
    [Fact]
    public void IndependentExpectationIsUSquaredTimesThePositionPairs()
    {
        var geometry = new InputGeometry(3, 4, 5);

        DisplacementMap expected = RandomPruningReference.ExpectedIndependent(geometry, 0.5);

        Assert.Equal(0.25 * 3 * (5 - 1) * (4 - 2), expected.SameChannelAt(1, 2), 12);
        Assert.Equal(0.25 * 3 * (5 - 1) * (4 - 2), expected.SameChannelAt(-1, -2), 12);
        Assert.Equal(0.25 * 3 * 2 * (5 - 1) * (4 - 2), expected.DifferentChannelAt(1, 2), 12);
        Assert.Equal(0.25 * 3 * 2 * 5 * 4, expected.DifferentChannelAt(0, 0), 12);
        Assert.Equal(0, expected.SameChannelAt(0, 0));
        Assert.Equal(0.5 * 60, expected.SameChannelAtZero, 12);
    }

    [Fact]
    public void FixedCountExpectationAddsUpToTheExpectedSumOfSquares()
    {
        var geometry = new InputGeometry(2, 5, 6);
        const int nodes = 7;
        const long kept = 100;

        DisplacementMap expected = RandomPruningReference.ExpectedFixedCount(geometry, nodes, kept);

        double total = nodes * 60.0;
        double pairProbability = kept * (kept - 1.0) / (total * (total - 1));
        double expectedSquares = kept + nodes * 60.0 * 59.0 * pairProbability; // sum_j E[C_j^2]
        Assert.Equal(expectedSquares, expected.SameChannel.Sum() + expected.DifferentChannel.Sum() + expected.SameChannelAtZero, 9);
    }

    [Fact]
    public void SampledNodesAverageToTheExpectation()
    {
        var geometry = new InputGeometry(2, 5, 6);
        const int nodes = 3000;
        const double u = 0.3;
        var mask = RandomMasks.Bernoulli(nodes, geometry.InputCount, u, new Random(17));

        DisplacementMap observed = DisplacementHistogram.Compute(mask, geometry);
        DisplacementMap expected = RandomPruningReference.ExpectedIndependent(geometry, u, nodes);

        foreach (var (dx, dy) in new[] { (1, 0), (0, 1), (2, -1), (-3, 2), (0, 0) })
        {
            Assert.InRange(observed.DifferentChannelAt(dx, dy) / expected.DifferentChannelAt(dx, dy), 0.95, 1.05);
            if ((dx, dy) != (0, 0))
            {
                Assert.InRange(observed.SameChannelAt(dx, dy) / expected.SameChannelAt(dx, dy), 0.95, 1.05);
            }
        }
    }

    [Fact]
    public void SampledSingleNodeWithFixedCountHasThatManyConnections()
    {
        var geometry = new InputGeometry(3, 8, 8);

        DisplacementMap map = RandomPruningReference.SampleSingleNode(geometry, connections: 12, seed: 4);

        Assert.Equal(12, map.SameChannelAtZero);
        Assert.Equal(12 * 11, map.SameChannel.Sum() + map.DifferentChannel.Sum());
    }
}
