using Grid.Engine.Runtime;
using TorchSharp;

namespace Grid.Engine.Data;

/// <summary>Mini-batch indices drawn uniformly with replacement (docs/science.md §2), reproducible for a seed.</summary>
public static class BatchSampler
{
    /// <summary><paramref name="batchSize"/> indices in 0..count-1, uniform with replacement, from a torch generator.</summary>
    public static int[] SampleWithReplacement(torch.Generator generator, int batchSize, int count)
    {
        Check(batchSize, count);
        TorchRuntime.EnsureLoaded();
        using var indices = torch.randint(count, [batchSize], dtype: torch.int64, generator: generator);
        return [.. indices.data<long>().Select(i => (int)i)];
    }

    /// <summary><paramref name="batchSize"/> indices in 0..count-1, uniform with replacement, from a System.Random.</summary>
    public static int[] SampleWithReplacement(Random random, int batchSize, int count)
    {
        Check(batchSize, count);
        var indices = new int[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            indices[i] = random.Next(count);
        }

        return indices;
    }

    private static void Check(int batchSize, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
    }
}
