using Grid.Engine.Data;
using Grid.Engine.Tests.Data.Fixtures;

namespace Grid.Engine.Tests.Data;

public sealed class IdxLoaderTests
{
    [Theory]
    [InlineData(false, "")]
    [InlineData(true, ".gz")]
    [InlineData(true, "")]
    public void ReadsImagesLabelsAndMean(bool gzip, string suffix)
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, trainCount: 25, testCount: 7, gzip, suffix);

        var split = IdxLoader.Load(dir.Path);

        Assert.Equal(new ImageShape(1, 4, 3), split.Train.Shape);
        Assert.Equal(25, split.Train.Count);
        Assert.Equal(7, split.Validation.Count);
        Assert.Equal(10, split.Train.ClassCount);
        Assert.Equal(SyntheticImages.Make(24, 1, 12), split.Train.Image(24).ToArray());
        Assert.Equal(SyntheticImages.Make(1003, 1, 12), split.Validation.Image(3).ToArray());
        Assert.Equal(Enumerable.Range(0, 25).Select(i => i % 10), split.Train.Labels);
        Assert.Equal(Enumerable.Range(1000, 7).Select(i => i % 10), split.Validation.Labels);
        for (int f = 0; f < 12; f++)
        {
            double expected = Enumerable.Range(0, 25).Average(i => SyntheticImages.Pixel(i, f));
            Assert.Equal(expected, split.Mean[f], 4);
        }

        IdxLoader.Validate(dir.Path);
    }

    [Fact]
    public void FindsFilesInASubdirectory()
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Subdirectory("data"), 3, 2, gzip: false);

        Assert.Equal(3, IdxLoader.Load(dir.Path).Train.Count);
    }

    [Fact]
    public void BadMagicNamesTheFile()
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, 5, 5, gzip: true, ".gz");
        string labels = dir.File("train-labels-idx1-ubyte.gz");
        File.WriteAllBytes(labels, IdxFixture.Gzip(IdxFixture.Images(5, 4, 3)));

        var error = Assert.Throws<DatasetException>(() => IdxLoader.Load(dir.Path));
        Assert.Equal(labels, error.File);
        Assert.Contains(labels, error.Message);
        Assert.Contains("magic", error.Message);
        Assert.Throws<DatasetException>(() => IdxLoader.Validate(dir.Path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedImagesNameTheFile(bool gzip)
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, 5, 5, gzip);
        string images = dir.File("t10k-images-idx3-ubyte");
        var content = IdxFixture.Images(5, 4, 3, first: 1000)[..^7];
        IdxFixture.Write(images, content, gzip);

        var error = Assert.Throws<DatasetException>(() => IdxLoader.Load(dir.Path));
        Assert.Equal(images, error.File);
        Assert.Contains("truncated", error.Message);
        Assert.Equal(images, Assert.Throws<DatasetException>(() => IdxLoader.Validate(dir.Path)).File);
    }

    [Fact]
    public void TruncatedGzipStreamNamesTheFile()
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, 50, 5, gzip: true);
        string images = dir.File("train-images-idx3-ubyte");
        var gz = File.ReadAllBytes(images);
        File.WriteAllBytes(images, gz[..(gz.Length / 2)]);

        Assert.Equal(images, Assert.Throws<DatasetException>(() => IdxLoader.Load(dir.Path)).File);
        Assert.Equal(images, Assert.Throws<DatasetException>(() => IdxLoader.Validate(dir.Path)).File);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, 5, 5, gzip: false);
        string labels = dir.File("train-labels-idx1-ubyte");
        IdxFixture.Write(labels, IdxFixture.LabelsFor(6), gzip: false);

        var error = Assert.Throws<DatasetException>(() => IdxLoader.Load(dir.Path));
        Assert.Equal(labels, error.File);
        Assert.Contains("6 labels", error.Message);
        Assert.Contains("5 images", error.Message);
        Assert.Equal(labels, Assert.Throws<DatasetException>(() => IdxLoader.Validate(dir.Path)).File);
    }

    [Fact]
    public void LabelOutOfRangeNamesTheFile()
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, 5, 5, gzip: false);
        string labels = dir.File("t10k-labels-idx1-ubyte");
        IdxFixture.Write(labels, IdxFixture.Labels([1, 2, 10, 3, 4]), gzip: false);

        var error = Assert.Throws<DatasetException>(() => IdxLoader.Load(dir.Path));
        Assert.Equal(labels, error.File);
        Assert.Contains("label 10 at index 2", error.Message);
    }

    [Fact]
    public void MissingFileAndDirectoryAreNamed()
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, 5, 5, gzip: false);
        File.Delete(dir.File("t10k-labels-idx1-ubyte"));

        var missing = Assert.Throws<DatasetException>(() => IdxLoader.Load(dir.Path));
        Assert.Contains("t10k-labels-idx1-ubyte", missing.Message);
        Assert.Contains(dir.Path, missing.Message);

        string nowhere = dir.File("nowhere");
        Assert.Equal(nowhere, Assert.Throws<DatasetException>(() => IdxLoader.Load(nowhere)).File);
        Assert.Equal(nowhere, Assert.Throws<DatasetException>(() => IdxLoader.Validate(nowhere)).File);
    }
}
