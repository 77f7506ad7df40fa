using Grid.Analysis.Masks;

namespace Grid.Analysis.Observables;

/// <summary>
/// Unpruned ratio and node connectivity (docs/science.md §6): u = mean(m), C^in_j = sum_i m_ij (row sums),
/// and per input the number of outgoing unpruned weights (column sums), i.e. C^out of the previous layer's nodes.
/// </summary>
public static class Connectivity
{
    /// <summary>u = fraction of unpruned entries of the layer (0 for an empty mask).</summary>
    public static double UnprunedFraction(LayerMask mask)
    {
        long total = (long)mask.Nodes * mask.Inputs;
        return total == 0 ? 0 : (double)mask.CountConnections() / total;
    }

    /// <summary>C^{in,l}_j for every node j of the layer (row sums).</summary>
    public static int[] InputConnectivity(LayerMask mask)
    {
        var counts = new int[mask.Nodes];
        for (int j = 0; j < mask.Nodes; j++)
        {
            int sum = 0;
            foreach (byte value in mask.Row(j))
            {
                sum += value;
            }
            counts[j] = sum;
        }
        return counts;
    }

    /// <summary>
    /// Column sums of a layer l mask: C^{out,l-1}_i for every node i of the previous layer
    /// (for layer 1 this is C^{out,0} per input).
    /// </summary>
    public static int[] OutputConnectivityOfInputs(LayerMask mask)
    {
        var counts = new int[mask.Inputs];
        ReadOnlySpan<byte> values = mask.Values;
        for (int j = 0; j < mask.Nodes; j++)
        {
            ReadOnlySpan<byte> row = values.Slice(j * mask.Inputs, mask.Inputs);
            for (int i = 0; i < row.Length; i++)
            {
                counts[i] += row[i];
            }
        }
        return counts;
    }

    /// <summary>C^{out,0} as an H x W map, summed over channels.</summary>
    public static PixelMap InputOutputConnectivityMap(LayerMask firstLayer, InputGeometry geometry)
    {
        geometry.EnsureMatches(firstLayer);
        int[] perInput = OutputConnectivityOfInputs(firstLayer);
        var values = new double[geometry.PixelsPerChannel];
        for (int i = 0; i < perInput.Length; i++)
        {
            values[i % geometry.PixelsPerChannel] += perInput[i];
        }
        return new PixelMap(geometry.Height, geometry.Width, values);
    }
}
