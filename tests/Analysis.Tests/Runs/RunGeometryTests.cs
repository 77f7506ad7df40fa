using Grid.Analysis.Masks;
using Grid.Analysis.Runs;
using Grid.Engine.Specs;

namespace Grid.Analysis.Tests.Runs;

public sealed class RunGeometryTests
{
    [Theory]
    [InlineData(DatasetNames.FashionMnist, null, 784, 1, 28, 28)]
    [InlineData(DatasetNames.FashionMnist, 2, 196, 1, 14, 14)]
    [InlineData(DatasetNames.ImageNet64, null, 12288, 3, 64, 64)]
    [InlineData(DatasetNames.ImageNet64, 2, 3072, 3, 32, 32)]
    public void Known_datasets_give_their_shape_divided_by_the_downsampling(string dataset, int? downsample, int inputs, int channels, int height, int width)
    {
        var spec = new ExperimentSpec { Dataset = new DatasetSpec { Name = dataset, Downsample = downsample, Path = "/nonexistent" } };

        Assert.Equal(new InputGeometry(channels, height, width), RunGeometry.Of(spec, inputs));
    }
}
