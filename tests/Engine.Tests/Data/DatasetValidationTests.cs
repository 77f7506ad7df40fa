using Grid.Engine.Data;
using Grid.Engine.IO;
using Grid.Engine.Tests.Data.Fixtures;

namespace Grid.Engine.Tests.Data;

/// <summary>The cheap validation run before a sweep starts: image counts, and labels outside the classes named by file.</summary>
public sealed class DatasetValidationTests
{
    [Fact]
    public void Idx_validation_counts_the_images_and_finds_a_label_outside_the_classes()
    {
        using var dir = new TempDirectory();
        IdxFixture.WriteDataset(dir.Path, trainCount: 25, testCount: 7, gzip: true, ".gz");

        Assert.Equal(new DatasetCounts(25, 7), IdxLoader.Validate(dir.Path));

        string labels = dir.File("t10k-labels-idx1-ubyte.gz");
        IdxFixture.Write(labels, IdxFixture.Labels([1, 2, 3, 4, 5, 6, 10]), gzip: true);
        var error = Assert.Throws<DatasetException>(() => IdxLoader.Validate(dir.Path));
        Assert.Equal(labels, error.File);
        Assert.Contains("label 10 at index 6 is outside 0..9", error.Message);
    }

    [Fact]
    public void Cifar_validation_counts_the_records_and_finds_a_label_outside_the_classes()
    {
        using var dir = new TempDirectory();
        CifarFixture.WriteDataset(dir.Path, [2, 3, 2, 2, 2], 4);

        Assert.Equal(new DatasetCounts(11, 4), Cifar10Loader.Validate(dir.Path));

        string file = dir.File("data_batch_2.bin");
        File.WriteAllBytes(file, CifarFixture.Batch(2, 3, label: i => (byte)(i == 4 ? 10 : 1)));
        var error = Assert.Throws<DatasetException>(() => Cifar10Loader.Validate(dir.Path));
        Assert.Equal(file, error.File);
        Assert.Contains("label 10 of record 2 is outside 0..9", error.Message);
    }

    [Fact]
    public void ImageNet_npz_validation_counts_the_images_and_finds_a_label_outside_the_classes()
    {
        const int size = 4, features = 3 * size * size;
        using var dir = new TempDirectory();
        ImageNetFixture.WriteDataset(dir.Path, size, perBatch: 2, valCount: 3, npz: true);

        Assert.Equal(new DatasetCounts(20, 3), new ImageNetLoader(size).Validate(dir.Path));

        string file = dir.File("val_data.npz");
        NpzWriter.Write(file, new Dictionary<string, NpyArray>
        {
            ["data"] = NpyArray.Of(new byte[2 * features], 2, features),
            ["labels"] = NpyArray.Of(new long[] { 1000, 1001 }),
        });
        var error = Assert.Throws<DatasetException>(() => new ImageNetLoader(size).Validate(dir.Path));
        Assert.Equal(file, error.File);
        Assert.Contains("label 1001 at index 1 is outside 1..1000", error.Message);
    }

    [Fact]
    public void ImageNet_pickles_do_not_tell_their_counts_without_being_unpickled()
    {
        using var dir = new TempDirectory();
        ImageNetFixture.WriteDataset(dir.Path, 4, perBatch: 2, valCount: 3, npz: false);

        Assert.Null(new ImageNetLoader(4).Validate(dir.Path));
    }
}
