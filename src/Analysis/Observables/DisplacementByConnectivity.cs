using Grid.Analysis.Masks;

namespace Grid.Analysis.Observables;

/// <summary>S(d) of the nodes whose C^in falls in one bin (SM B.3, Fig. 11).</summary>
public sealed record ConnectivityBinDisplacement(int Lower, int? UpperExclusive, DisplacementMap Map)
{
    public int NodeCount => Map.Nodes;

    /// <summary>"[10, 20)" or "[40, inf)" for the open last bin.</summary>
    public string RangeLabel => UpperExclusive is { } upper ? $"[{Lower}, {upper})" : $"[{Lower}, inf)";
}

/// <summary>S^sc (and S^dc) restricted to nodes in C^{in,1} bins, computed in one pass.</summary>
public static class DisplacementByConnectivity
{
    /// <param name="binStarts">Ascending lower bounds; bin k is [binStarts[k], binStarts[k+1]), the last bin is open
    /// ("covers all remaining nodes"). Nodes below binStarts[0] are left out.</param>
    public static IReadOnlyList<ConnectivityBinDisplacement> Compute(LayerMask mask, InputGeometry geometry, IReadOnlyList<int> binStarts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(binStarts.Count);
        for (int k = 1; k < binStarts.Count; k++)
        {
            if (binStarts[k] <= binStarts[k - 1])
            {
                throw new ArgumentException("Bin starts must be strictly ascending.", nameof(binStarts));
            }
        }
        int[] inputConnectivity = Connectivity.InputConnectivity(mask);
        var groupOfNode = new int[mask.Nodes];
        for (int j = 0; j < mask.Nodes; j++)
        {
            groupOfNode[j] = BinOf(inputConnectivity[j], binStarts);
        }
        IReadOnlyList<DisplacementMap> maps = DisplacementHistogram.ComputeGrouped(mask, geometry, groupOfNode, binStarts.Count);
        return maps
            .Select((map, k) => new ConnectivityBinDisplacement(binStarts[k], k + 1 < binStarts.Count ? binStarts[k + 1] : null, map))
            .ToArray();
    }

    /// <summary>
    /// <paramref name="binCount"/> equal-width bins from C^in = 1 to the largest C^in (nodes without connections
    /// contribute nothing to S and are left out).
    /// </summary>
    public static int[] EqualWidthBinStarts(IReadOnlyList<int> inputConnectivity, int binCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        int max = inputConnectivity.Count == 0 ? 1 : Math.Max(1, inputConnectivity.Max());
        int width = Math.Max(1, (int)Math.Ceiling(max / (double)binCount));
        return Enumerable.Range(0, binCount).Select(k => 1 + k * width).Where(start => start <= max).ToArray();
    }

    private static int BinOf(int value, IReadOnlyList<int> binStarts)
    {
        int bin = -1;
        for (int k = 0; k < binStarts.Count && value >= binStarts[k]; k++)
        {
            bin = k;
        }
        return bin;
    }
}
