namespace Grid.Analysis.Masks;

/// <summary>
/// Effective masks from the input to deeper layers (paper section 4, SM B.4/B.6):
/// mu^2 = theta(m^2 . m^1 - 1/2), shape [n2, n0]; mu^l = theta(m^l . mu^(l-1) - 1/2), shape [n_l, n0].
/// With masks stored [nOut, nIn], mu^l_ji = 1 exactly when input i reaches node j through some path of unpruned weights.
/// </summary>
public static class EffectiveMasks
{
    /// <summary>One step: theta(layer . previousEffective - 1/2), i.e. [layer.Nodes, previousEffective.Inputs].</summary>
    public static LayerMask Next(LayerMask previousEffective, LayerMask layer)
    {
        if (layer.Inputs != previousEffective.Nodes)
        {
            throw new ArgumentException(
                $"Layer has {layer.Inputs} inputs but the previous effective mask has {previousEffective.Nodes} nodes.", nameof(layer));
        }
        int words = (previousEffective.Inputs + 63) / 64;
        ulong[] previousBits = PackRows(previousEffective, words);
        var result = new byte[(long)layer.Nodes * previousEffective.Inputs];
        var accumulator = new ulong[words];
        for (int j = 0; j < layer.Nodes; j++)
        {
            Array.Clear(accumulator);
            ReadOnlySpan<byte> row = layer.Row(j);
            for (int k = 0; k < row.Length; k++)
            {
                if (row[k] == 0)
                {
                    continue;
                }
                ReadOnlySpan<ulong> source = previousBits.AsSpan(k * words, words);
                for (int w = 0; w < words; w++)
                {
                    accumulator[w] |= source[w];
                }
            }
            Unpack(accumulator, result.AsSpan(j * previousEffective.Inputs, previousEffective.Inputs));
        }
        return LayerMask.Wrap(layer.Nodes, previousEffective.Inputs, result);
    }

    /// <summary>
    /// Effective masks of every layer of a chain [m^1, m^2, ...]: element 0 is m^1 itself, element l-1 is mu^l.
    /// </summary>
    public static IReadOnlyList<LayerMask> Chain(IReadOnlyList<LayerMask> layers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(layers.Count);
        var effective = new List<LayerMask>(layers.Count) { layers[0] };
        for (int l = 1; l < layers.Count; l++)
        {
            effective.Add(Next(effective[l - 1], layers[l]));
        }
        return effective;
    }

    private static ulong[] PackRows(LayerMask mask, int words)
    {
        var bits = new ulong[(long)mask.Nodes * words];
        for (int k = 0; k < mask.Nodes; k++)
        {
            ReadOnlySpan<byte> row = mask.Row(k);
            for (int i = 0; i < row.Length; i++)
            {
                if (row[i] != 0)
                {
                    bits[k * words + (i >> 6)] |= 1UL << (i & 63);
                }
            }
        }
        return bits;
    }

    private static void Unpack(ReadOnlySpan<ulong> bits, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)((bits[i >> 6] >> (i & 63)) & 1UL);
        }
    }
}
