using Grid.Engine.Data;
using Grid.Engine.Specs;

namespace Grid.Engine.Tests.Data;

/// <summary>The embedded default dataset, from Debian's dataset-fashion-mnist package (installed by CI).</summary>
public sealed class FashionMnistTests
{
    [Fact]
    public void DebianPackageLoadsWithSixtyThousandTrainingImages()
    {
        Assert.True(Directory.Exists(DatasetCatalog.FashionMnistDefaultDirectory),
            $"{DatasetCatalog.FashionMnistDefaultDirectory} is missing: run `apt-get install dataset-fashion-mnist`");
        var spec = new DatasetSpec { Name = DatasetNames.FashionMnist, Path = DatasetCatalog.FashionMnistDefaultDirectory };

        DatasetCatalog.Validate(spec);
        var split = DatasetCatalog.Load(spec);

        Assert.Equal(60000, split.Train.Count);
        Assert.Equal(10000, split.Validation.Count);
        Assert.Equal(new ImageShape(1, 28, 28), split.Train.Shape);
        Assert.Equal(10, split.Train.ClassCount);
        Assert.Equal(Enumerable.Range(0, 10), split.Train.Labels.Distinct().Order());
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6000, split.Train.Labels.Count(l => l == c)));
        Assert.Equal(784, split.Mean.Length);
        Assert.InRange(split.Mean.Average(), 60f, 80f);
    }
}
