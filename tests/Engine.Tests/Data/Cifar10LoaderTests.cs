using Grid.Engine.Data;
using Grid.Engine.Tests.Data.Fixtures;

namespace Grid.Engine.Tests.Data;

public sealed class Cifar10LoaderTests
{
    [Fact]
    public void ReadsBatchesFromTheBatchesFolder()
    {
        using var dir = new TempDirectory();
        int[] counts = [3, 3, 2, 3, 4];
        CifarFixture.WriteDataset(dir.Subdirectory("cifar-10-batches-bin"), counts, testCount: 5);

        var split = Cifar10Loader.Load(dir.Path);

        Assert.Equal(new ImageShape(3, 32, 32), split.Train.Shape);
        Assert.Equal(15, split.Train.Count);
        Assert.Equal(5, split.Validation.Count);
        for (int i = 0; i < 15; i++)
        {
            Assert.Equal(SyntheticImages.Make(i, 1, 3072), split.Train.Image(i).ToArray());
            Assert.Equal(i % 10, split.Train.Labels[i]);
        }

        Assert.Equal(SyntheticImages.Make(1004, 1, 3072), split.Validation.Image(4).ToArray());
        Assert.Equal(Enumerable.Range(0, 15).Average(i => SyntheticImages.Pixel(i, 100)), split.Mean[100], 4);
        Cifar10Loader.Validate(dir.Path);
    }

    [Fact]
    public void TruncatedBatchNamesTheFile()
    {
        using var dir = new TempDirectory();
        CifarFixture.WriteDataset(dir.Path, [2, 2, 2, 2, 2], 2);
        string file = dir.File("data_batch_3.bin");
        File.WriteAllBytes(file, CifarFixture.Batch(4, 2)[..^100]);

        Assert.Equal(file, Assert.Throws<DatasetException>(() => Cifar10Loader.Load(dir.Path)).File);
        Assert.Equal(file, Assert.Throws<DatasetException>(() => Cifar10Loader.Validate(dir.Path)).File);
    }

    [Fact]
    public void LabelOutOfRangeNamesTheFile()
    {
        using var dir = new TempDirectory();
        CifarFixture.WriteDataset(dir.Path, [2, 2, 2, 2, 2], 2);
        string file = dir.File("test_batch.bin");
        File.WriteAllBytes(file, CifarFixture.Batch(0, 2, label: i => (byte)(i == 1 ? 11 : 0)));

        var error = Assert.Throws<DatasetException>(() => Cifar10Loader.Load(dir.Path));
        Assert.Equal(file, error.File);
        Assert.Contains("label 11", error.Message);
    }

    [Fact]
    public void MissingBatchNamesTheFile()
    {
        using var dir = new TempDirectory();
        CifarFixture.WriteDataset(dir.Path, [2, 2, 2, 2, 2], 2);
        File.Delete(dir.File("data_batch_5.bin"));

        Assert.Contains("data_batch_5.bin", Assert.Throws<DatasetException>(() => Cifar10Loader.Load(dir.Path)).Message);
        Assert.Contains("data_batch_5.bin", Assert.Throws<DatasetException>(() => Cifar10Loader.Validate(dir.Path)).Message);
    }
}
