using Grid.Analysis.Masks;

namespace Grid.Analysis.Tests.Support;

/// <summary>S(d) by explicit enumeration of ordered input pairs: the definition, for checking the FFT path.</summary>
internal static class BruteForceDisplacement
{
    public static (long[,] Same, long[,] Different) Count(LayerMask mask, InputGeometry geometry)
    {
        int h = geometry.Height, w = geometry.Width;
        var same = new long[2 * h - 1, 2 * w - 1];
        var different = new long[2 * h - 1, 2 * w - 1];
        for (int j = 0; j < mask.Nodes; j++)
        {
            var connected = new List<int>();
            ReadOnlySpan<byte> row = mask.Row(j);
            for (int i = 0; i < row.Length; i++)
            {
                if (row[i] != 0)
                {
                    connected.Add(i);
                }
            }
            foreach (int i in connected)
            {
                var (c, y, x) = geometry.PositionOf(i);
                foreach (int i2 in connected)
                {
                    if (i2 == i)
                    {
                        continue;
                    }
                    var (c2, y2, x2) = geometry.PositionOf(i2);
                    int dx = x2 - x, dy = y2 - y;
                    if (c == c2)
                    {
                        same[dy + h - 1, dx + w - 1]++;
                    }
                    else
                    {
                        different[dy + h - 1, dx + w - 1]++;
                    }
                }
            }
        }
        return (same, different);
    }
}
