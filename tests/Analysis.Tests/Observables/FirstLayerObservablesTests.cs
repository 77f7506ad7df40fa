using Grid.Analysis.Locality;
using Grid.Analysis.Masks;
using Grid.Analysis.Observables;
using Grid.Analysis.Tests.Support;

namespace Grid.Analysis.Tests.Observables;

public sealed class FirstLayerObservablesTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void OneCallGivesConsistentObservables()
    {
        var geometry = new InputGeometry(3, 5, 5);
        var mask = TestMasks.SquarePatch(geometry, 2, 1, 1, 0);

        var observables = FirstLayerObservables.Compute(mask, geometry);

        Assert.Equal(4.0 / 75, observables.Layer.UnprunedFraction, 12);
        Assert.Equal([4], observables.Layer.InputConnectivity);
        Assert.Equal(4, observables.InputConnectivityMap.Values.Sum());
        Assert.Equal(12, observables.Displacement.SameChannel.Sum());
        Assert.Equal(8.0 / 12, observables.Locality.ShareWithinRadius1, 12);
    }

    [Fact]
    public void LocalityReportIsWrittenAsJson()
    {
        var geometry = new InputGeometry(1, 6, 6);
        var mask = TestMasks.Random(8, geometry.InputCount, 0.2, 1);
        var report = LocalityComparison.Compare(mask, geometry, new LocalityComparisonOptions { Samples = 2 });

        string path = LocalityReportFile.Save(_directory.File("locality.json"), report);

        string json = File.ReadAllText(path);
        Assert.Contains("\"z_scores_vs_degree_preserving\"", json);
        Assert.Contains("\"mean_distance\"", json);
    }
}
