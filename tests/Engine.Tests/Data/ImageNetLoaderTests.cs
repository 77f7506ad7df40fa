using System.Collections;
using Grid.Engine.Data;
using Grid.Engine.IO;
using Grid.Engine.Tests.Data.Fixtures;

namespace Grid.Engine.Tests.Data;

public sealed class ImageNetLoaderTests
{
    private const int Size = 4;
    private const int Features = 3 * Size * Size;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsTrainAndValidationWithZeroBasedLabelsAndTheShippedMean(bool npz)
    {
        using var dir = new TempDirectory();
        ImageNetFixture.WriteDataset(dir.Path, Size, perBatch: 3, valCount: 4, npz, lastBatchExtra: 2);

        var split = new ImageNetLoader(Size).Load(dir.Path);

        Assert.Equal(new ImageShape(3, Size, Size), split.Train.Shape);
        Assert.Equal(32, split.Train.Count);
        Assert.Equal(1000, split.Train.ClassCount);
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(SyntheticImages.Make(i, 1, Features), split.Train.Image(i).ToArray());
            Assert.Equal(ImageNetFixture.Label(i) - 1, split.Train.Labels[i]);
        }

        Assert.Equal(4, split.Validation.Count);
        Assert.Equal(SyntheticImages.Make(100_003, 1, Features), split.Validation.Image(3).ToArray());
        Assert.Equal(ImageNetFixture.Label(100_003) - 1, split.Validation.Labels[3]);
        Assert.Equal(ImageNetFixture.Mean(Features).Select(v => (float)v), split.Mean);
        new ImageNetLoader(Size).Validate(dir.Path);
    }

    [Fact]
    public void LabelsOneAndThousandBecomeZeroAndNineHundredNinetyNine()
    {
        using var dir = new TempDirectory();
        string file = dir.File("val_data");
        File.WriteAllBytes(file, NumpyPickleFixture.Batch(new byte[2 * Features], Features, [1, 1000], mean: null));

        var batch = new ImageNetLoader(Size).ReadBatch(file);

        Assert.Equal(new[] { 0, 999 }, batch.Labels);
        Assert.Null(batch.Mean);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void LabelOutOfRangeNamesTheFile(int label)
    {
        using var dir = new TempDirectory();
        string file = dir.File("train_data_batch_1");
        File.WriteAllBytes(file, NumpyPickleFixture.Batch(new byte[2 * Features], Features, [5, label], ImageNetFixture.Mean(Features)));

        var error = Assert.Throws<DatasetException>(() => new ImageNetLoader(Size).ReadBatch(file));
        Assert.Equal(file, error.File);
        Assert.Contains($"label {label} at index 1", error.Message);
    }

    [Fact]
    public void CountMismatchAndWrongImageSizeNameTheFile()
    {
        using var dir = new TempDirectory();
        string file = dir.File("train_data_batch_1.npz");
        NpzWriter.Write(file, new Dictionary<string, NpyArray>
        {
            ["data"] = NpyArray.Of(new byte[3 * Features], 3, Features),
            ["labels"] = NpyArray.Of(new long[] { 1, 2 }),
        });

        var mismatch = Assert.Throws<DatasetException>(() => new ImageNetLoader(Size).ReadBatch(file));
        Assert.Equal(file, mismatch.File);
        Assert.Contains("2 labels but 3 images", mismatch.Message);

        var wrongSize = Assert.Throws<DatasetException>(() => new ImageNetLoader(2 * Size).ReadBatch(file));
        Assert.Contains($"expected uint8 [N, {3 * 4 * Size * Size}]", wrongSize.Message);
    }

    [Fact]
    public void TruncatedPickleNamesTheFile()
    {
        using var dir = new TempDirectory();
        ImageNetFixture.WriteDataset(dir.Path, Size, perBatch: 2, valCount: 2, npz: false);
        string file = dir.File("train_data_batch_7");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..^40]);

        var error = Assert.Throws<DatasetException>(() => new ImageNetLoader(Size).Load(dir.Path));
        Assert.Equal(file, error.File);
    }

    [Fact]
    public void MissingBatchOrValidationFileIsNamed()
    {
        using var dir = new TempDirectory();
        ImageNetFixture.WriteDataset(dir.Path, Size, perBatch: 2, valCount: 2, npz: true);
        File.Delete(dir.File("val_data.npz"));

        var error = Assert.Throws<DatasetException>(() => new ImageNetLoader(Size).Load(dir.Path));
        Assert.Contains("val_data", error.Message);
        Assert.Contains("val_data", Assert.Throws<DatasetException>(() => new ImageNetLoader(Size).Validate(dir.Path)).Message);
    }

    [Fact]
    public void ValidateChecksNpzShapesWithoutLoading()
    {
        using var dir = new TempDirectory();
        ImageNetFixture.WriteDataset(dir.Path, Size, perBatch: 2, valCount: 2, npz: true);

        var error = Assert.Throws<DatasetException>(() => new ImageNetLoader(2 * Size).Validate(dir.Path));
        Assert.Equal(dir.File("train_data_batch_1.npz"), error.File);
    }

    /// <summary>
    /// pickle.dumps({'data': np.array([[0, 1, 2], [250, 251, 255]], np.uint8), 'labels': [1, 1000],
    /// 'mean': np.array([0.5, 1.5, 2.5])}, protocol=p) with numpy 1.24 / python 3.11.
    /// </summary>
    [Theory]
    [InlineData("gAJ9cQAoWAQAAABkYXRhcQFjbnVtcHkuY29yZS5tdWx0aWFycmF5Cl9yZWNvbnN0cnVjdApxAmNudW1weQpuZGFycmF5CnEDSwCFcQRjX2NvZGVjcwplbmNvZGUKcQVYAQAAAGJxBlgGAAAAbGF0aW4xcQeGcQhScQmHcQpScQsoSwFLAksDhnEMY251bXB5CmR0eXBlCnENWAIAAAB1MXEOiYiHcQ9ScRAoSwNYAQAAAHxxEU5OTkr/////Sv////9LAHRxEmKJaAVYCQAAAAABAsO6w7vDv3ETaAeGcRRScRV0cRZiWAYAAABsYWJlbHNxF11xGChLAU3oA2VYBAAAAG1lYW5xGWgCaANLAIVxGmgJh3EbUnEcKEsBSwOFcR1oDVgCAAAAZjhxHomIh3EfUnEgKEsDWAEAAAA8cSFOTk5K/////0r/////SwB0cSJiiWgFWBoAAAAAAAAAAADDoD8AAAAAAADDuD8AAAAAAAAEQHEjaAeGcSRScSV0cSZidS4=")]
    [InlineData("gAN9cQAoWAQAAABkYXRhcQFjbnVtcHkuY29yZS5tdWx0aWFycmF5Cl9yZWNvbnN0cnVjdApxAmNudW1weQpuZGFycmF5CnEDSwCFcQRDAWJxBYdxBlJxByhLAUsCSwOGcQhjbnVtcHkKZHR5cGUKcQlYAgAAAHUxcQqJiIdxC1JxDChLA1gBAAAAfHENTk5OSv////9K/////0sAdHEOYolDBgABAvr7/3EPdHEQYlgGAAAAbGFiZWxzcRFdcRIoSwFN6ANlWAQAAABtZWFucRNoAmgDSwCFcRRoBYdxFVJxFihLAUsDhXEXaAlYAgAAAGY4cRiJiIdxGVJxGihLA1gBAAAAPHEbTk5OSv////9K/////0sAdHEcYolDGAAAAAAAAOA/AAAAAAAA+D8AAAAAAAAEQHEddHEeYnUu")]
    [InlineData("gASVDgEAAAAAAAB9lCiMBGRhdGGUjBVudW1weS5jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsAhZRDAWKUh5RSlChLAUsCSwOGlGgFjAVkdHlwZZSTlIwCdTGUiYiHlFKUKEsDjAF8lE5OTkr/////Sv////9LAHSUYolDBgABAvr7/5R0lGKMBmxhYmVsc5RdlChLAU3oA2WMBG1lYW6UaARoB0sAhZRoCYeUUpQoSwFLA4WUaA6MAmY4lImIh5RSlChLA4wBPJROTk5K/////0r/////SwB0lGKJQxgAAAAAAADgPwAAAAAAAPg/AAAAAAAABECUdJRidS4=")]
    [InlineData("gAWV9AAAAAAAAAB9lCiMBGRhdGGUjBJudW1weS5jb3JlLm51bWVyaWOUjAtfZnJvbWJ1ZmZlcpSTlCiWBgAAAAAAAAAAAQL6+/+UjAVudW1weZSMBWR0eXBllJOUjAJ1MZSJiIeUUpQoSwOMAXyUTk5OSv////9K/////0sAdJRiSwJLA4aUjAFDlHSUUpSMBmxhYmVsc5RdlChLAU3oA2WMBG1lYW6UaAQolhgAAAAAAAAAAAAAAAAA4D8AAAAAAAD4PwAAAAAAAARAlGgIjAJmOJSJiIeUUpQoSwOMATyUTk5OSv////9K/////0sAdJRiSwOFlGgPdJRSlHUu")]
    public void ReadsPicklesWrittenByNumpy(string base64)
    {
        var dict = Assert.IsType<Hashtable>(NumpyPickle.Load(new MemoryStream(Convert.FromBase64String(base64)), "golden"));

        var data = Assert.IsType<NpyArray>(dict["data"]);
        Assert.Equal(NpyDtype.UInt8, data.Dtype);
        Assert.Equal(new long[] { 2, 3 }, data.Shape);
        Assert.Equal(new byte[] { 0, 1, 2, 250, 251, 255 }, data.As<byte>());
        Assert.Equal(new object[] { 1, 1000 }, Assert.IsType<ArrayList>(dict["labels"]).Cast<object>());
        var mean = Assert.IsType<NpyArray>(dict["mean"]);
        Assert.Equal(new[] { 0.5, 1.5, 2.5 }, mean.As<double>());
    }

    [Fact]
    public void HandAssembledFixtureMatchesNumpysProtocol2Pickle()
    {
        const string numpy = "gAJ9cQAoWAQAAABkYXRhcQFjbnVtcHkuY29yZS5tdWx0aWFycmF5Cl9yZWNvbnN0cnVjdApxAmNudW1weQpuZGFycmF5CnEDSwCFcQRjX2NvZGVjcwplbmNvZGUKcQVYAQAAAGJxBlgGAAAAbGF0aW4xcQeGcQhScQmHcQpScQsoSwFLAksDhnEMY251bXB5CmR0eXBlCnENWAIAAAB1MXEOiYiHcQ9ScRAoSwNYAQAAAHxxEU5OTkr/////Sv////9LAHRxEmKJaAVYCQAAAAABAsO6w7vDv3ETaAeGcRRScRV0cRZiWAYAAABsYWJlbHNxF11xGChLAU3oA2VYBAAAAG1lYW5xGWgCaANLAIVxGmgJh3EbUnEcKEsBSwOFcR1oDVgCAAAAZjhxHomIh3EfUnEgKEsDWAEAAAA8cSFOTk5K/////0r/////SwB0cSJiiWgFWBoAAAAAAAAAAADDoD8AAAAAAADDuD8AAAAAAAAEQHEjaAeGcSRScSV0cSZidS4=";
        var fixture = NumpyPickleFixture.Batch([0, 1, 2, 250, 251, 255], 3, [1, 1000], [0.5, 1.5, 2.5]);

        var expected = Assert.IsType<Hashtable>(NumpyPickle.Load(new MemoryStream(Convert.FromBase64String(numpy)), "numpy"));
        var actual = Assert.IsType<Hashtable>(NumpyPickle.Load(new MemoryStream(fixture), "fixture"));

        foreach (string key in new[] { "data", "mean" })
        {
            var e = (NpyArray)expected[key]!;
            var a = (NpyArray)actual[key]!;
            Assert.Equal(e.Dtype, a.Dtype);
            Assert.Equal(e.Shape, a.Shape);
            Assert.Equal(e.Data.Cast<object>(), a.Data.Cast<object>());
        }

        Assert.Equal(((ArrayList)expected["labels"]!).Cast<object>(), ((ArrayList)actual["labels"]!).Cast<object>());
    }
}
