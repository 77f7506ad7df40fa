using System.Buffers.Binary;

namespace Grid.Tests.Support;

/// <summary>Writes a small MNIST-format dataset (the four raw IDX files, 28x28 images, labels 0..9) for real runs.</summary>
public static class TinyIdx
{
    public const string TrainLabels = "train-labels-idx1-ubyte";

    public static string Write(string directory, int train = 300, int validation = 100, int seed = 1)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", validation) })
        {
            var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
            var pixels = new byte[count * 28 * 28];
            for (int i = 0; i < count; i++)
            {
                // A bright block whose place depends on the class, plus noise: learnable, like a real dataset.
                for (int p = 0; p < 28 * 28; p++)
                {
                    int row = p / 28, column = p % 28;
                    bool block = row / 7 == labels[i] % 4 && column / 7 == labels[i] / 4 % 4;
                    pixels[i * 784 + p] = (byte)(block ? 200 + random.Next(56) : random.Next(60));
                }
            }

            WriteIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), 0x803, [count, 28, 28], pixels);
            WriteIdx(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), 0x801, [count], labels);
        }

        return directory;
    }

    /// <summary>Sets one training label to <paramref name="label"/> (e.g. 12: outside the 10 classes).</summary>
    public static void SetTrainLabel(string directory, int index, byte label)
    {
        using var stream = new FileStream(Path.Combine(directory, TrainLabels), FileMode.Open);
        stream.Seek(8 + index, SeekOrigin.Begin);
        stream.WriteByte(label);
    }

    private static void WriteIdx(string path, int magic, int[] dimensions, byte[] data)
    {
        using var stream = File.Create(path);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        stream.Write(word);
        foreach (int dimension in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, dimension);
            stream.Write(word);
        }

        stream.Write(data);
    }
}
