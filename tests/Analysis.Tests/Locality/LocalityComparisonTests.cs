using Grid.Analysis.Locality;
using Grid.Analysis.Masks;

namespace Grid.Analysis.Tests.Locality;

public class LocalityComparisonTests
{
    private static LayerMask LocalPatches(InputGeometry geometry, int nodes, int seed)
    {
        var random = new Random(seed);
        var rows = new List<IReadOnlyCollection<int>>();
        for (int j = 0; j < nodes; j++)
        {
            int c = random.Next(geometry.Channels), x0 = random.Next(geometry.Width - 2), y0 = random.Next(geometry.Height - 2);
            rows.Add(Enumerable.Range(0, 9).Select(k => geometry.IndexOf(c, y0 + k / 3, x0 + k % 3)).ToArray());
        }
        return LayerMask.FromRows(rows, geometry.InputCount);
    }

    [Fact]
    public void LocalPatchesAreFarMoreLocalThanBothNulls()
    {
        var geometry = new InputGeometry(3, 12, 12);
        LayerMask mask = LocalPatches(geometry, 60, 1);

        LocalityReport report = LocalityComparison.Compare(mask, geometry, new LocalityComparisonOptions { Samples = 4 });

        Assert.True(report.Observed.MeanDistance < 2);
        Assert.True(report.ZScoresVsRandomPruning.MeanDistance < -5, $"z = {report.ZScoresVsRandomPruning.MeanDistance}");
        Assert.True(report.ZScoresVsDegreePreserving.MeanDistance < -5, $"z = {report.ZScoresVsDegreePreserving.MeanDistance}");
        Assert.True(report.RatiosVsRandomPruning.ShareWithinRadius1 > 3);
        Assert.True(report.RatiosVsDegreePreserving.MeanDistance < 0.5);
        Assert.Equal(4, report.DegreePreserving.Samples);
        // the exact expectation of random pruning agrees with its samples
        Assert.InRange(report.RandomPruningExpected.MeanDistance / report.RandomPruning.Mean.MeanDistance, 0.95, 1.05);
    }

    [Fact]
    public void SameSeedGivesTheSameReport()
    {
        var geometry = new InputGeometry(1, 8, 8);
        LayerMask mask = LocalPatches(geometry, 10, 2);
        var options = new LocalityComparisonOptions { Samples = 2, Seed = 7 };

        Assert.Equal(LocalityComparison.Compare(mask, geometry, options), LocalityComparison.Compare(mask, geometry, options));
    }
}
