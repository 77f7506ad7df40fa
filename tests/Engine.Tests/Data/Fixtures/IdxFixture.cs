using System.IO.Compression;

namespace Grid.Engine.Tests.Data.Fixtures;

/// <summary>Writes MNIST-format IDX files (big-endian header, ubyte payload), raw or gzipped.</summary>
internal static class IdxFixture
{
    public const int ImagesMagic = Grid.Tests.Shared.IdxEncoding.ImagesMagic;
    public const int LabelsMagic = Grid.Tests.Shared.IdxEncoding.LabelsMagic;

    public static byte[] Encode(int magic, int[] dimensions, byte[] payload) => Grid.Tests.Shared.IdxEncoding.Encode(magic, dimensions, payload);

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    public static void Write(string path, byte[] content, bool gzip) =>
        File.WriteAllBytes(path, gzip ? Gzip(content) : content);

    public static byte[] Images(int count, int rows, int columns, int first = 0) =>
        Encode(ImagesMagic, [count, rows, columns], SyntheticImages.Make(first, count, rows * columns));

    public static byte[] Labels(byte[] labels) => Encode(LabelsMagic, [labels.Length], labels);

    public static byte[] LabelsFor(int count, int first = 0) =>
        Labels([.. Enumerable.Range(first, count).Select(i => (byte)(i % 10))]);

    /// <summary>A complete MNIST-style directory: train (first images 0..) and t10k (images 1000..), 4x3 pixels.</summary>
    public static void WriteDataset(string directory, int trainCount, int testCount, bool gzip, string suffix = "")
    {
        Write(Path.Combine(directory, "train-images-idx3-ubyte" + suffix), Images(trainCount, 4, 3), gzip);
        Write(Path.Combine(directory, "train-labels-idx1-ubyte" + suffix), LabelsFor(trainCount), gzip);
        Write(Path.Combine(directory, "t10k-images-idx3-ubyte" + suffix), Images(testCount, 4, 3, first: 1000), gzip);
        Write(Path.Combine(directory, "t10k-labels-idx1-ubyte" + suffix), LabelsFor(testCount, first: 1000), gzip);
    }
}
