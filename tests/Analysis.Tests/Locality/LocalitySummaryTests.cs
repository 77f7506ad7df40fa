using Grid.Analysis.Locality;
using Grid.Analysis.Masks;
using Grid.Analysis.Observables;
using Grid.Analysis.Tests.Support;

namespace Grid.Analysis.Tests.Locality;

public class LocalitySummaryTests
{
    [Fact]
    public void TwoByTwoPatchHasEightUnitAndFourDiagonalPairs()
    {
        var geometry = new InputGeometry(1, 6, 6);
        var map = DisplacementHistogram.Compute(TestMasks.SquarePatch(geometry, 2, 1, 1, 0), geometry);

        LocalitySummary summary = LocalitySummary.Of(map);

        Assert.Equal((8 + 4 * Math.Sqrt(2)) / 12, summary.MeanDistance, 12);
        Assert.Equal(8.0 / 12, summary.ShareWithinRadius1, 12);
        Assert.Equal(1, summary.ShareWithinRadius2, 12);
        Assert.Equal(1, summary.ShareWithinRadius3, 12);
    }

    [Fact]
    public void NoPairsGivesNaN()
    {
        var geometry = new InputGeometry(1, 3, 3);
        var map = DisplacementHistogram.Compute(TestMasks.SquarePatch(geometry, 1, 0, 0, 0), geometry);

        Assert.True(double.IsNaN(LocalitySummary.Of(map).MeanDistance));
    }
}
