using Grid.Analysis.Masks;

namespace Grid.Analysis.Tests.Support;

/// <summary>Hand-built and random masks for the tests.</summary>
internal static class TestMasks
{
    public static LayerMask Random(int nodes, int inputs, double keepProbability, int seed)
    {
        var random = new Random(seed);
        var values = new byte[nodes * inputs];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = random.NextDouble() < keepProbability ? (byte)1 : (byte)0;
        }
        return new LayerMask(nodes, inputs, values);
    }

    /// <summary>One node connected to a k x k square patch with top-left (x0, y0) in each listed channel.</summary>
    public static LayerMask SquarePatch(InputGeometry geometry, int k, int x0, int y0, params int[] channels)
    {
        var values = new byte[geometry.InputCount];
        foreach (int c in channels)
        {
            for (int y = y0; y < y0 + k; y++)
            {
                for (int x = x0; x < x0 + k; x++)
                {
                    values[geometry.IndexOf(c, y, x)] = 1;
                }
            }
        }
        return new LayerMask(1, geometry.InputCount, values);
    }
}
