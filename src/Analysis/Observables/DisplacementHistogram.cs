using System.Numerics;
using System.Runtime.InteropServices;
using Grid.Analysis.Masks;
using Grid.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Analysis.Observables;

/// <summary>
/// Computes S^sc(d) and S^dc(d) exactly without enumerating pairs, through pixel Gram matrices.
/// With a_jc the H x W mask image of node j in channel c and A_j = sum_c a_jc:
///   G^sc = sum_j sum_c a_jc a_jc^T and G^all = sum_j A_j A_j^T   (P x P, P = H*W pixels),
///   S^sc(d)  = sum_p G^sc[p, p + d],  S^all(d) = sum_p G^all[p, p + d],  S^dc(d) = S^all(d) - S^sc(d),
/// the displacement sums being one pass over the P x P entries.
/// Masks with u up to 3% build G as a sparse-times-dense product (one vector addition per unpruned input, cost
/// proportional to u); denser masks use two matmuls in TorchSharp, about 2 (C+1) N P^2 flops whatever u
/// (8.6 GFLOP for 1024 nodes on 3x32x32). Both are exact: entries are integers, summed in float32 while they stay
/// below 2^24 and in float64 otherwise. (A batched zero-padded 2-D FFT autocorrelation gives the same numbers but
/// measured several times slower on the 2-core CPU: 3072 double-precision 64 x 64 transforms cost more than the matmuls.)
/// </summary>
public static class DisplacementHistogram
{
    /// <summary>Up to this fraction of unpruned weights the sparse-times-dense Gram beats the dense BLAS matmul here.</summary>
    internal const double SparseDensityLimit = 0.03;

    /// <summary>S(d) summed over all nodes of a first-layer mask.</summary>
    public static DisplacementMap Compute(LayerMask mask, InputGeometry geometry) =>
        ComputeGrouped(mask, geometry, new int[mask.Nodes], 1)[0];

    /// <summary>S(d) summed over the given nodes only.</summary>
    public static DisplacementMap Compute(LayerMask mask, InputGeometry geometry, IEnumerable<int> nodes)
    {
        var groupOfNode = Enumerable.Repeat(-1, mask.Nodes).ToArray();
        foreach (int node in nodes)
        {
            groupOfNode[node] = 0;
        }
        return ComputeGrouped(mask, geometry, groupOfNode, 1)[0];
    }

    /// <summary>
    /// One S(d) per group of nodes: node j is summed into group groupOfNode[j] (a value in [0, groupCount)),
    /// or left out when groupOfNode[j] is negative. Nodes without connections cost nothing.
    /// </summary>
    public static IReadOnlyList<DisplacementMap> ComputeGrouped(
        LayerMask mask, InputGeometry geometry, IReadOnlyList<int> groupOfNode, int groupCount) =>
        ComputeGrouped(mask, geometry, groupOfNode, groupCount, GramStrategy.Automatic);

    internal static IReadOnlyList<DisplacementMap> ComputeGrouped(
        LayerMask mask, InputGeometry geometry, IReadOnlyList<int> groupOfNode, int groupCount, GramStrategy strategy)
    {
        geometry.EnsureMatches(mask);
        if (groupOfNode.Count != mask.Nodes)
        {
            throw new ArgumentException($"Expected a group for each of the {mask.Nodes} nodes.", nameof(groupOfNode));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(groupCount, 1);

        int[] inDegree = Connectivity.InputConnectivity(mask);
        var members = Enumerable.Range(0, groupCount).Select(_ => new List<int>()).ToArray();
        var nodesPerGroup = new int[groupCount];
        for (int j = 0; j < mask.Nodes; j++)
        {
            int group = groupOfNode[j];
            if (group >= groupCount)
            {
                throw new ArgumentOutOfRangeException(nameof(groupOfNode), $"Node {j} has group {group} >= {groupCount}.");
            }
            if (group < 0)
            {
                continue;
            }
            nodesPerGroup[group]++;
            if (inDegree[j] > 0)
            {
                members[group].Add(j); // empty nodes contribute nothing
            }
        }

        int mapSize = (2 * geometry.Height - 1) * (2 * geometry.Width - 1);
        var maps = new DisplacementMap[groupCount];
        int zero = (geometry.Height - 1) * (2 * geometry.Width - 1) + geometry.Width - 1;
        for (int g = 0; g < groupCount; g++)
        {
            var same = new double[mapSize];
            var all = new double[mapSize];
            if (members[g].Count > 0)
            {
                AddPairsByDisplacement(mask.SelectNodes(members[g]), geometry, same, all, strategy);
            }
            var different = new double[mapSize];
            for (int k = 0; k < mapSize; k++)
            {
                different[k] = all[k] - same[k];
            }
            double atZero = same[zero];
            same[zero] = 0;
            maps[g] = new DisplacementMap(geometry.Height, geometry.Width, same, different, atZero, nodesPerGroup[g]);
        }
        return maps;
    }

    /// <summary>Adds the displacement sums of same-channel pairs and of all ordered pairs (d = 0 included) of these nodes.</summary>
    private static void AddPairsByDisplacement(LayerMask nodes, InputGeometry geometry, double[] same, double[] all, GramStrategy strategy)
    {
        int c = geometry.Channels, pixels = geometry.PixelsPerChannel;
        // Gram entries are integers <= C^2 * nodes; float32 sums them exactly below 2^24.
        bool floatIsExact = (double)c * c * nodes.Nodes < (1 << 24);
        double density = (double)nodes.CountConnections() / ((long)nodes.Nodes * nodes.Inputs);
        if (floatIsExact && (strategy == GramStrategy.SparseRows || (strategy == GramStrategy.Automatic && density <= SparseDensityLimit)))
        {
            (float[] sameGram, float[] allGram) = SparseGram.Compute(nodes, geometry);
            AddByDisplacement<float>(sameGram, geometry, same);
            AddByDisplacement<float>(allGram, geometry, all);
            return;
        }
        TorchRuntime.EnsureLoaded();
        ScalarType precision = floatIsExact ? ScalarType.Float32 : ScalarType.Float64;
        using var scope = NewDisposeScope();
        Tensor images = tensor(nodes.RawValues, [nodes.Nodes, c, pixels], ScalarType.Byte).to_type(precision);
        Tensor perChannel = images.view(nodes.Nodes * c, pixels);
        AddByDisplacement(perChannel.t().mm(perChannel), geometry, same);
        if (c == 1)
        {
            Array.Copy(same, all, same.Length);
            return;
        }
        Tensor channelSum = images.sum(dim: 1);
        AddByDisplacement(channelSum.t().mm(channelSum), geometry, all);
    }

    /// <summary>
    /// Sums a pixel Gram matrix G[(y,x),(y',x')] along displacements: map[d] += sum over (y,x) of G[(y,x),(y,x)+d].
    /// </summary>
    private static void AddByDisplacement(Tensor pixelGram, InputGeometry geometry, double[] map)
    {
        using Tensor contiguous = pixelGram.contiguous();
        if (contiguous.dtype == ScalarType.Float32)
        {
            AddByDisplacement(MemoryMarshal.Cast<byte, float>(contiguous.bytes), geometry, map);
        }
        else
        {
            AddByDisplacement(MemoryMarshal.Cast<byte, double>(contiguous.bytes), geometry, map);
        }
    }

    private static void AddByDisplacement<T>(ReadOnlySpan<T> gram, InputGeometry geometry, double[] map)
        where T : unmanaged, INumberBase<T>
    {
        int h = geometry.Height, w = geometry.Width, mapW = 2 * w - 1;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int rowStart = (y * w + x) * h * w;
                for (int y2 = 0; y2 < h; y2++)
                {
                    ReadOnlySpan<T> gramRow = gram.Slice(rowStart + y2 * w, w);
                    Span<double> target = map.AsSpan((y2 - y + h - 1) * mapW + w - 1 - x, w);
                    for (int x2 = 0; x2 < w; x2++)
                    {
                        target[x2] += double.CreateTruncating(gramRow[x2]);
                    }
                }
            }
        }
    }
}
