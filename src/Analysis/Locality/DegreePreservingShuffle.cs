using Grid.Analysis.Masks;

namespace Grid.Analysis.Locality;

/// <summary>
/// Null model that keeps every node's C^in and every input's C^{out} exactly: the curveball Markov chain
/// (Strona et al. 2014; Carstens 2015) on the bipartite node-input graph. One trade picks two nodes, pools the inputs
/// that only one of them has, shuffles the pool and deals it back in the original sizes; row and column sums are
/// unchanged by construction. Connectivity that merely follows the input marginals (for example empty image borders)
/// survives the shuffle, so locality measured against it is locality beyond those marginals.
/// </summary>
public static class DegreePreservingShuffle
{
    /// <param name="tradesPerNode">Trades = tradesPerNode x (nodes with at least one connection); 20 mixes well in practice.</param>
    public static LayerMask Shuffle(LayerMask mask, Random random, int tradesPerNode = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tradesPerNode);
        var rows = new int[mask.Nodes][];
        for (int j = 0; j < mask.Nodes; j++)
        {
            rows[j] = ConnectedInputs(mask.Row(j));
        }
        int[] tradable = Enumerable.Range(0, mask.Nodes).Where(j => rows[j].Length > 0 && rows[j].Length < mask.Inputs).ToArray();
        if (tradable.Length >= 2)
        {
            long trades = (long)tradesPerNode * tradable.Length;
            var onlyFirst = new List<int>();
            var onlySecond = new List<int>();
            var shared = new List<int>();
            for (long t = 0; t < trades; t++)
            {
                int a = tradable[random.Next(tradable.Length)];
                int b = tradable[random.Next(tradable.Length - 1)];
                if (b == a)
                {
                    b = tradable[^1];
                }
                Trade(ref rows[a], ref rows[b], random, onlyFirst, onlySecond, shared);
            }
        }
        var values = new byte[(long)mask.Nodes * mask.Inputs];
        for (int j = 0; j < mask.Nodes; j++)
        {
            foreach (int i in rows[j])
            {
                values[(long)j * mask.Inputs + i] = 1;
            }
        }
        return LayerMask.Wrap(mask.Nodes, mask.Inputs, values);
    }

    private static void Trade(ref int[] first, ref int[] second, Random random, List<int> onlyFirst, List<int> onlySecond, List<int> shared)
    {
        onlyFirst.Clear();
        onlySecond.Clear();
        shared.Clear();
        int p = 0, q = 0;
        while (p < first.Length || q < second.Length)
        {
            if (q == second.Length || (p < first.Length && first[p] < second[q]))
            {
                onlyFirst.Add(first[p++]);
            }
            else if (p == first.Length || second[q] < first[p])
            {
                onlySecond.Add(second[q++]);
            }
            else
            {
                shared.Add(first[p]);
                p++;
                q++;
            }
        }
        if (onlyFirst.Count == 0 || onlySecond.Count == 0)
        {
            return; // nothing to exchange
        }
        int firstShare = onlyFirst.Count;
        onlyFirst.AddRange(onlySecond);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(onlyFirst));
        first = Merge(shared, onlyFirst, 0, firstShare);
        second = Merge(shared, onlyFirst, firstShare, onlyFirst.Count - firstShare);
    }

    private static int[] Merge(List<int> shared, List<int> pool, int start, int count)
    {
        var result = new int[shared.Count + count];
        shared.CopyTo(result);
        pool.CopyTo(start, result, shared.Count, count);
        Array.Sort(result);
        return result;
    }

    private static int[] ConnectedInputs(ReadOnlySpan<byte> row)
    {
        var connected = new List<int>();
        for (int i = 0; i < row.Length; i++)
        {
            if (row[i] != 0)
            {
                connected.Add(i);
            }
        }
        return connected.ToArray();
    }
}
