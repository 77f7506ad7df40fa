namespace Grid.Analysis.Masks;

/// <summary>Randomly pruned masks, the reference that random pruning gives (seeded, reproducible).</summary>
public static class RandomMasks
{
    /// <summary>Every entry kept independently with probability <paramref name="unprunedFraction"/>.</summary>
    public static LayerMask Bernoulli(int nodes, int inputs, double unprunedFraction, Random random)
    {
        var values = new byte[(long)nodes * inputs];
        for (long k = 0; k < values.LongLength; k++)
        {
            values[k] = random.NextDouble() < unprunedFraction ? (byte)1 : (byte)0;
        }
        return LayerMask.Wrap(nodes, inputs, values);
    }

    /// <summary>
    /// Exactly <paramref name="kept"/> entries of the nodes x inputs layer kept, chosen uniformly at random
    /// (layer-wise random pruning to the same number of weights).
    /// </summary>
    public static LayerMask FixedCount(int nodes, int inputs, long kept, Random random)
    {
        long total = (long)nodes * inputs;
        ArgumentOutOfRangeException.ThrowIfNegative(kept);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(kept, total);
        bool keepIsMinority = kept <= total / 2;
        byte background = keepIsMinority ? (byte)0 : (byte)1;
        long toFlip = keepIsMinority ? kept : total - kept;
        var values = new byte[total];
        if (background == 1)
        {
            Array.Fill(values, (byte)1);
        }
        for (long flipped = 0; flipped < toFlip;)
        {
            long k = random.NextInt64(total);
            if (values[k] == background)
            {
                values[k] = (byte)(1 - background);
                flipped++;
            }
        }
        return LayerMask.Wrap(nodes, inputs, values);
    }
}
