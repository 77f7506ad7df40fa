using Grid.Analysis.Masks;

namespace Grid.Analysis.Observables;

/// <summary>
/// S(d) of randomly pruned nodes (SM B.1). For i != i' of one node, E[m_ij m_i'j] = q, and the number of ordered
/// same-channel position pairs at displacement d is C (W - |dx|)(H - |dy|), so
///   E[S^sc(d)] = nodes * q * C * (W - |dx|)(H - |dy|)          for d != 0,
///   E[S^dc(d)] = nodes * q * C (C - 1) * (W - |dx|)(H - |dy|)  for every d,
/// with q = u^2 for independent Bernoulli(u) inputs and q = K(K-1) / (T(T-1)) when exactly K of the T = nodes*n0
/// entries of the layer are kept uniformly at random.
/// </summary>
public static class RandomPruningReference
{
    /// <summary>Exact expectation for nodes whose inputs are kept independently with probability u.</summary>
    public static DisplacementMap ExpectedIndependent(InputGeometry geometry, double unprunedFraction, int nodes = 1) =>
        Expected(geometry, nodes, unprunedFraction * unprunedFraction, nodes * unprunedFraction * geometry.InputCount);

    /// <summary>Exact expectation when exactly <paramref name="kept"/> weights of the layer are kept uniformly at random.</summary>
    public static DisplacementMap ExpectedFixedCount(InputGeometry geometry, int nodes, long kept)
    {
        double total = (double)nodes * geometry.InputCount;
        double pairProbability = total < 2 ? 0 : kept * (double)(kept - 1) / (total * (total - 1));
        return Expected(geometry, nodes, Math.Max(0, pairProbability), kept);
    }

    /// <summary>One sampled node with Bernoulli(u) inputs (the paper's Fig. 9 panels).</summary>
    public static DisplacementMap SampleSingleNode(InputGeometry geometry, double unprunedFraction, int seed) =>
        DisplacementHistogram.Compute(RandomMasks.Bernoulli(1, geometry.InputCount, unprunedFraction, new Random(seed)), geometry);

    /// <summary>One sampled node with exactly <paramref name="connections"/> inputs chosen uniformly.</summary>
    public static DisplacementMap SampleSingleNode(InputGeometry geometry, int connections, int seed) =>
        DisplacementHistogram.Compute(RandomMasks.FixedCount(1, geometry.InputCount, connections, new Random(seed)), geometry);

    private static DisplacementMap Expected(InputGeometry geometry, int nodes, double pairProbability, double selfPairs)
    {
        int h = geometry.Height, w = geometry.Width, c = geometry.Channels;
        int mapW = 2 * w - 1;
        var same = new double[(2 * h - 1) * mapW];
        var different = new double[same.Length];
        for (int dy = -(h - 1); dy < h; dy++)
        {
            for (int dx = -(w - 1); dx < w; dx++)
            {
                double positionPairs = (double)(w - Math.Abs(dx)) * (h - Math.Abs(dy));
                int index = (dy + h - 1) * mapW + dx + w - 1;
                same[index] = (dx, dy) == (0, 0) ? 0 : nodes * pairProbability * c * positionPairs;
                different[index] = nodes * pairProbability * c * (c - 1) * positionPairs;
            }
        }
        return new DisplacementMap(h, w, same, different, selfPairs, nodes);
    }
}
