using Grid.Analysis.Masks;

namespace Grid.Analysis.Tests.Findings;

/// <summary>First-layer masks built to have, or to lack, the structures the paper reports.</summary>
internal static class SyntheticMasks
{
    /// <summary>Every node keeps a compact square patch (2x2 to 4x4 pixels, one channel) at a random place: local.</summary>
    public static LayerMask Local(InputGeometry geometry, int nodes, int seed)
    {
        var random = new Random(seed);
        var rows = new IReadOnlyCollection<int>[nodes];
        for (int j = 0; j < nodes; j++)
        {
            int size = random.Next(2, 5);
            int x0 = random.Next(geometry.Width - size + 1), y0 = random.Next(geometry.Height - size + 1), channel = random.Next(geometry.Channels);
            rows[j] = [.. from y in Enumerable.Range(y0, size) from x in Enumerable.Range(x0, size) select geometry.IndexOf(channel, y, x)];
        }

        return LayerMask.FromRows(rows, geometry.InputCount);
    }

    /// <summary>Local patches for a share of the nodes, random inputs (as many) for the rest.</summary>
    public static LayerMask PartlyLocal(InputGeometry geometry, int nodes, double localShare, int seed)
    {
        var local = Local(geometry, nodes, seed);
        var random = new Random(seed + 1);
        var rows = new IReadOnlyCollection<int>[nodes];
        for (int j = 0; j < nodes; j++)
        {
            var kept = Enumerable.Range(0, geometry.InputCount).Where(i => local[j, i]).ToArray();
            rows[j] = j < localShare * nodes
                ? kept
                : [.. Enumerable.Range(0, geometry.InputCount).OrderBy(_ => random.Next()).Take(kept.Length)];
        }

        return LayerMask.FromRows(rows, geometry.InputCount);
    }

    /// <summary>Each input kept with probability u independently: C^in is Binomial(n0, u), no structure.</summary>
    public static LayerMask Random(int nodes, int inputs, double u, int seed)
    {
        var random = new Random(seed);
        var values = new byte[nodes * inputs];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = random.NextDouble() < u ? (byte)1 : (byte)0;
        }

        return new LayerMask(nodes, inputs, values);
    }

    /// <summary>Random, except that a share of the nodes keeps many times more inputs: a heavy C^in tail.</summary>
    public static LayerMask HeavyTailed(int nodes, int inputs, double u, double heavyShare, double heavyU, int seed)
    {
        var random = new Random(seed);
        var values = new byte[nodes * inputs];
        for (int j = 0; j < nodes; j++)
        {
            double keep = j < heavyShare * nodes ? heavyU : u;
            for (int i = 0; i < inputs; i++)
            {
                values[j * inputs + i] = random.NextDouble() < keep ? (byte)1 : (byte)0;
            }
        }

        return new LayerMask(nodes, inputs, values);
    }
}
