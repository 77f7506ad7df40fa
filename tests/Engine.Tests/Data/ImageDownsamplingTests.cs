using Grid.Engine.Data;
using Grid.Engine.Specs;
using Grid.Engine.Tests.Data.Fixtures;

namespace Grid.Engine.Tests.Data;

public sealed class ImageDownsamplingTests
{
    [Fact]
    public void Each_block_becomes_the_rounded_mean_of_its_pixels_per_channel()
    {
        // Two channels of 2x4; factor 2 → two channels of 1x2. Block sums: 10, 2 (mean 0.5 rounds up), 1020, 0.
        byte[] image =
        [
            1, 2, 0, 1,
            3, 4, 0, 1,
            255, 255, 0, 0,
            255, 255, 0, 0,
        ];
        var dataset = new ImageDataset(new ImageShape(2, 2, 4), image, [7], classCount: 10, "fixture");

        var small = ImageDownsampling.Apply(dataset, 2);

        Assert.Equal(new ImageShape(2, 1, 2), small.Shape);
        Assert.Equal(new byte[] { 3, 1, 255, 0 }, small.Image(0).ToArray());
        Assert.Equal([7], small.Labels);
        Assert.Equal(10, small.ClassCount);
    }

    [Fact]
    public void Specs_without_downsampling_keep_their_canonical_json_and_hash()
    {
        string stored = SpecJson.Canonical(new ExperimentSpec());
        string halved = SpecJson.Canonical(new ExperimentSpec { Dataset = new DatasetSpec { Downsample = 2 } });

        Assert.DoesNotContain("downsample", stored);
        Assert.Contains("\"downsample\":2", halved);
        Assert.Equal(2, SpecJson.Parse<ExperimentSpec>(halved).Dataset.Downsample);
        Assert.NotEqual(SpecJson.Hash(new ExperimentSpec()), SpecJson.Hash(SpecJson.Parse<ExperimentSpec>(halved)));
    }

    [Fact]
    public void The_mean_is_block_averaged_like_the_images()
    {
        float[] mean = [0, 2, 4, 6, 1, 3, 5, 7];

        Assert.Equal(new float[] { 1.5f, 5.5f }, ImageDownsampling.Mean(mean, new ImageShape(1, 2, 4), 2));
    }

    [Fact]
    public void A_factor_that_does_not_divide_the_sides_names_the_source_and_the_sizes()
    {
        var dataset = new ImageDataset(new ImageShape(1, 4, 3), new byte[12], [0], 10, "train-images-idx3-ubyte");

        var error = Assert.Throws<DatasetException>(() => ImageDownsampling.Apply(dataset, 2));

        Assert.Contains("train-images-idx3-ubyte", error.Message);
        Assert.Contains("4x3", error.Message);
    }

    [Fact]
    public void The_catalog_serves_downsampled_splits_whose_pixels_average_the_stored_ones()
    {
        using var dir = new TempDirectory();
        IdxFixture.Write(Path.Combine(dir.Path, "train-images-idx3-ubyte"), IdxFixture.Images(6, 4, 4), gzip: false);
        IdxFixture.Write(Path.Combine(dir.Path, "train-labels-idx1-ubyte"), IdxFixture.LabelsFor(6), gzip: false);
        IdxFixture.Write(Path.Combine(dir.Path, "t10k-images-idx3-ubyte"), IdxFixture.Images(3, 4, 4, first: 1000), gzip: false);
        IdxFixture.Write(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte"), IdxFixture.LabelsFor(3, first: 1000), gzip: false);
        var stored = DatasetCatalog.Load(new DatasetSpec { Name = DatasetNames.Mnist, Path = dir.Path });

        var small = DatasetCatalog.Load(new DatasetSpec { Name = DatasetNames.Mnist, Path = dir.Path, Downsample = 2, Fraction = 0.5 });

        Assert.Equal(new ImageShape(1, 2, 2), small.Train.Shape);
        Assert.Equal(3, small.Train.Count);
        Assert.Equal(3, small.Validation.Count);
        var full = stored.Validation.Image(2);
        int topLeft = full[0] + full[1] + full[4] + full[5];
        Assert.Equal((byte)Math.Floor(topLeft / 4.0 + 0.5), small.Validation.Image(2)[0]);
        Assert.Equal(stored.Train.Labels[..3], small.Train.Labels);
        Assert.Equal((stored.Mean[0] + stored.Mean[1] + stored.Mean[4] + stored.Mean[5]) / 4, small.Mean[0], 4);
    }
}
