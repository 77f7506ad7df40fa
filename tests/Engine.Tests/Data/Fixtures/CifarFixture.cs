namespace Grid.Engine.Tests.Data.Fixtures;

/// <summary>Writes CIFAR-10 binary batches: per record one label byte then 3072 pixel bytes.</summary>
internal static class CifarFixture
{
    public const int Features = 3072;

    public static byte[] Batch(int first, int count, Func<int, byte>? label = null)
    {
        var bytes = new byte[count * (1 + Features)];
        var pixels = SyntheticImages.Make(first, count, Features);
        for (int r = 0; r < count; r++)
        {
            bytes[r * (1 + Features)] = label?.Invoke(first + r) ?? (byte)((first + r) % 10);
            pixels.AsSpan(r * Features, Features).CopyTo(bytes.AsSpan(r * (1 + Features) + 1));
        }

        return bytes;
    }

    /// <summary>data_batch_1..5.bin with the given record counts (images numbered consecutively) and test_batch.bin (images 1000..).</summary>
    public static void WriteDataset(string directory, int[] trainCounts, int testCount)
    {
        int first = 0;
        for (int b = 0; b < 5; b++)
        {
            File.WriteAllBytes(Path.Combine(directory, $"data_batch_{b + 1}.bin"), Batch(first, trainCounts[b]));
            first += trainCounts[b];
        }

        File.WriteAllBytes(Path.Combine(directory, "test_batch.bin"), Batch(1000, testCount));
    }
}
