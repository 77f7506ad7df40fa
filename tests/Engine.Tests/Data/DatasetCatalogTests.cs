using Grid.Engine.Data;
using Grid.Engine.Specs;
using Grid.Engine.Tests.Data.Fixtures;

namespace Grid.Engine.Tests.Data;

/// <summary>Tests that set GRID_MNIST_DIR live in this one class so they never run concurrently.</summary>
public sealed class DatasetCatalogTests
{
    [Theory]
    [InlineData(60000, 1.0, 60000)]
    [InlineData(60000, 0.1, 6000)]
    [InlineData(60000, 0.02, 1200)]
    [InlineData(10, 0.05, 1)]
    [InlineData(10, 0.35, 3)]
    [InlineData(1281167, 0.3, 384350)]
    public void FractionTakesTheFirstFloorOfFTimesNImagesAtLeastOne(int total, double fraction, int expected) =>
        Assert.Equal(expected, DatasetCatalog.TrainingCount(total, fraction));

    [Fact]
    public void FractionAndValSizeTakeTheFirstImagesAndKeepTheFullMean()
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, trainCount: 20, testCount: 9, gzip: true, ".gz");
        var full = DatasetCatalog.Load(new DatasetSpec { Name = DatasetNames.Mnist, Path = dir.Path });

        var split = DatasetCatalog.Load(new DatasetSpec { Name = DatasetNames.Mnist, Path = dir.Path, Fraction = 0.5, ValSize = 4 });

        Assert.Equal(10, split.Train.Count);
        Assert.Equal(4, split.Validation.Count);
        Assert.Equal(full.Train.Labels[..10], split.Train.Labels);
        Assert.Equal(full.Validation.Image(3).ToArray(), split.Validation.Image(3).ToArray());
        Assert.Same(full.Mean, split.Mean);
        Assert.Equal(9, DatasetCatalog.Load(new DatasetSpec { Name = DatasetNames.Mnist, Path = dir.Path, ValSize = 10_000 }).Validation.Count);
    }

    [Fact]
    public void DirectoryComesFromTheEnvironmentWhenThePathIsNotSet()
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, 6, 2, gzip: false);
        Environment.SetEnvironmentVariable("GRID_MNIST_DIR", dir.Path);
        try
        {
            var spec = new DatasetSpec { Name = DatasetNames.Mnist };
            Assert.Equal(dir.Path, DatasetCatalog.ResolveDirectory(spec));
            Assert.Equal(6, DatasetCatalog.Load(spec).Train.Count);
            DatasetCatalog.Validate(spec);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GRID_MNIST_DIR", null);
        }

        var none = Assert.Throws<DatasetAbsentException>(() => DatasetCatalog.Load(new DatasetSpec { Name = DatasetNames.Mnist }));
        Assert.Contains("GRID_MNIST_DIR", none.Message);
        Assert.Contains("dataset.path", none.Message);
    }

    [Fact]
    public void TheDataDirectoryComesAfterTheVariableAndBeforeTheSystemDefault()
    {
        using var data = new TempDirectory();
        Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, data.Path);
        try
        {
            var absent = Assert.Throws<DatasetAbsentException>(() => DatasetCatalog.Validate(new DatasetSpec { Name = DatasetNames.Mnist }));
            Assert.Equal($"mnist: not found in {Path.Combine(data.Path, "mnist")}; set dataset.path in the spec or the GRID_MNIST_DIR environment variable, or run `grid data fetch mnist`", absent.Message);

            string mnist = data.Subdirectory("mnist");
            var empty = Assert.Throws<DatasetAbsentException>(() => DatasetCatalog.Validate(new DatasetSpec { Name = DatasetNames.Mnist }));
            Assert.Contains("holds none of the mnist files", empty.Message);

            IdxFixture.WriteDataset(mnist, 6, 2, gzip: false);
            Assert.Equal(new DatasetCounts(6, 2), DatasetCatalog.Validate(new DatasetSpec { Name = DatasetNames.Mnist }));
            Assert.Equal(DatasetLocation.DataDirectoryOrigin, DatasetCatalog.Locate(DatasetNames.Mnist).Origin);

            // Fashion-MNIST: the data directory's copy when it holds one (not written here: tests running meanwhile
            // read Fashion-MNIST), else the system's.
            var fashion = DatasetCatalog.Locate(DatasetNames.FashionMnist);
            Assert.Equal([Path.Combine(data.Path, "fashion-mnist"), DatasetCatalog.FashionMnistDefaultDirectory], fashion.Considered);
            Assert.Equal((DatasetCatalog.FashionMnistDefaultDirectory, DatasetLocation.SystemDefaultOrigin), (fashion.Directory, fashion.Origin));

            Environment.SetEnvironmentVariable("GRID_MNIST_DIR", data.File("elsewhere"));
            var explicitOne = DatasetCatalog.Locate(DatasetNames.Mnist);
            Assert.Equal(("$GRID_MNIST_DIR", data.File("elsewhere")), (explicitOne.Origin, explicitOne.Directory));
            Assert.Throws<DatasetAbsentException>(() => DatasetCatalog.Validate(new DatasetSpec { Name = DatasetNames.Mnist }));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, null);
            Environment.SetEnvironmentVariable("GRID_MNIST_DIR", null);
        }
    }

    [Fact]
    public void MissingDirectoryIsNamedWithHowToSetIt()
    {
        using var dir = new TempDirectory();
        string missing = dir.File("absent");

        var error = Assert.Throws<DatasetAbsentException>(() =>
            DatasetCatalog.Load(new DatasetSpec { Name = DatasetNames.FashionMnist, Path = missing }));

        Assert.Equal(missing, error.File);
        Assert.Contains("GRID_FASHION_MNIST_DIR", error.Message);
        Assert.Contains("dataset.path", error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.Throws<DatasetAbsentException>(() => DatasetCatalog.Validate(new DatasetSpec { Name = DatasetNames.Cifar10, Path = missing }));
    }

    [Fact]
    public void LoadedSplitsAreCachedPerDirectory()
    {
        using var dir = new TempDirectory();
        CifarFixture.WriteDataset(dir.Path, [2, 2, 2, 2, 2], 3);
        var spec = new DatasetSpec { Name = DatasetNames.Cifar10, Path = dir.Path };

        var first = DatasetCatalog.Load(spec);
        var second = DatasetCatalog.Load(spec with { Fraction = 0.5 });

        Assert.Same(first.Mean, second.Mean);
        Assert.Equal(5, second.Train.Count);
    }

    [Fact]
    public void ImageNet32UsesTheShippedMeanAndZeroBasedLabels()
    {
        using var dir = new TempDirectory();
        ImageNetFixture.WriteDataset(dir.Subdirectory("Imagenet32_train_npz"), 32, perBatch: 2, valCount: 3, npz: true);
        var spec = new DatasetSpec { Name = DatasetNames.ImageNet32, Path = dir.Path, ValSize = 2 };

        DatasetCatalog.Validate(spec);
        var split = DatasetCatalog.Load(spec);

        Assert.Equal(20, split.Train.Count);
        Assert.Equal(2, split.Validation.Count);
        Assert.Equal(ImageNetFixture.Label(5) - 1, split.Train.Labels[5]);
        Assert.Equal((float)ImageNetFixture.Mean(3072)[3071], split.Mean[3071]);
    }

    [Fact]
    public void BadSpecFieldsAndUnknownNamesAreRejected()
    {
        Assert.Throws<DatasetException>(() => DatasetCatalog.Load(new DatasetSpec { Name = "svhn", Path = "/tmp" }));
        Assert.Contains("dataset.fraction", Assert.Throws<ArgumentException>(() => DatasetCatalog.Validate(new DatasetSpec { Fraction = 0 })).Message);
        Assert.Contains("dataset.val_size", Assert.Throws<ArgumentException>(() => DatasetCatalog.Validate(new DatasetSpec { ValSize = 0 })).Message);
    }
}
