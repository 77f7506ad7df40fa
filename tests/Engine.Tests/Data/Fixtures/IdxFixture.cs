using System.Buffers.Binary;
using System.IO.Compression;

namespace Grid.Engine.Tests.Data.Fixtures;

/// <summary>Writes MNIST-format IDX files (big-endian header, ubyte payload), raw or gzipped.</summary>
internal static class IdxFixture
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    public static byte[] Encode(int magic, int[] dimensions, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }

        payload.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

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
