using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Grid.Engine.IO;

namespace Grid.Cluster.Tests.Support;

/// <summary>Small datasets written in the formats their publishers distribute: gzipped IDX files (MNIST), the CIFAR-10
/// binary tarball, downsampled ImageNet batches (.npz) and their zip archives.</summary>
public static class PublishedFormats
{
    public static readonly string[] IdxFiles =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>The four gzipped IDX files of an MNIST-like dataset (28x28, labels 0..9) in <paramref name="directory"/>.</summary>
    public static void WriteMnist(string directory, int train = 30, int validation = 10, byte? badLabel = null)
    {
        Directory.CreateDirectory(directory);
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", validation) })
        {
            var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
            if (badLabel is { } label && prefix == "train")
            {
                labels[^1] = label;
            }

            var pixels = new byte[count * 28 * 28];
            new Random(count).NextBytes(pixels);
            WriteGzip(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), IdxEncoding.Encode(0x803, [count, 28, 28], pixels));
            WriteGzip(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), IdxEncoding.Encode(0x801, [count], labels));
        }
    }

    /// <summary>cifar-10-binary.tar.gz as the Toronto page serves it: cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin.</summary>
    public static void WriteCifar10(string archive, int perBatch = 4)
    {
        using var file = File.Create(archive);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        var random = new Random(3);
        foreach (string name in Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").Append("test_batch.bin"))
        {
            var records = new byte[perBatch * 3073];
            random.NextBytes(records);
            for (int r = 0; r < perBatch; r++)
            {
                records[r * 3073] = (byte)(r % 10);
            }

            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"cifar-10-batches-bin/{name}") { DataStream = new MemoryStream(records) });
        }
    }

    /// <summary>One downsampled-ImageNet batch as .npz: data uint8 [count, 3·size·size], labels 1..1000, mean (training batches).</summary>
    public static void WriteImageNetBatch(string path, int size, int count, bool withMean, int firstLabel = 1)
    {
        int features = 3 * size * size;
        var data = new byte[count * features];
        new Random(count + size).NextBytes(data);
        var arrays = new Dictionary<string, NpyArray>
        {
            ["data"] = NpyArray.Of(data, count, features),
            ["labels"] = NpyArray.Of(Enumerable.Range(0, count).Select(i => (long)(firstLabel + i) % 1000 + 1).ToArray()),
        };
        if (withMean)
        {
            arrays["mean"] = NpyArray.Of(Enumerable.Range(0, features).Select(i => i % 255 + 0.5).ToArray(), features);
        }

        NpzWriter.Write(path, arrays);
    }

    /// <summary>Lines of md5sum's output for the given files.</summary>
    public static string Md5Sums(string directory, IEnumerable<string> names) =>
        string.Concat(names.Select(name => $"{Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(Path.Combine(directory, name))))}  {name}\n"));

    private static void WriteGzip(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(content);
    }
}
