using Grid.Analysis.Masks;
using Grid.Analysis.Observables;
using Grid.Analysis.Tests.Support;

namespace Grid.Analysis.Tests.Observables;

public class DisplacementByConnectivityTests
{
    [Fact]
    public void EachBinHoldsExactlyItsNodes()
    {
        var geometry = new InputGeometry(3, 6, 6);
        var mask = TestMasks.Random(50, geometry.InputCount, 0.1, 8);
        int[] connectivity = Connectivity.InputConnectivity(mask);
        int[] starts = [5, 10, 14];

        var bins = DisplacementByConnectivity.Compute(mask, geometry, starts);

        Assert.Equal(3, bins.Count);
        Assert.Equal("[10, 14)", bins[1].RangeLabel);
        Assert.Equal("[14, inf)", bins[2].RangeLabel);
        for (int b = 0; b < bins.Count; b++)
        {
            int lower = starts[b], upper = b + 1 < starts.Length ? starts[b + 1] : int.MaxValue;
            int[] members = Enumerable.Range(0, 50).Where(j => connectivity[j] >= lower && connectivity[j] < upper).ToArray();
            DisplacementMap direct = DisplacementHistogram.Compute(mask, geometry, members);
            Assert.Equal(members.Length, bins[b].NodeCount);
            Assert.Equal(direct.SameChannel, bins[b].Map.SameChannel);
            Assert.Equal(direct.DifferentChannel, bins[b].Map.DifferentChannel);
        }
    }

    [Fact]
    public void EqualWidthBinsStartAtOneAndCoverTheMaximum()
    {
        Assert.Equal([1, 11, 21, 31], DisplacementByConnectivity.EqualWidthBinStarts([0, 3, 40, 12], 4));
        Assert.Equal([1], DisplacementByConnectivity.EqualWidthBinStarts([0, 0], 3));
    }
}
