using Grid.Analysis.Masks;

namespace Grid.Analysis.Pictures;

/// <summary>
/// Turns per-input values of one node into an image: channel c becomes colour c for 3 channels (RGB), grey for
/// 1 channel, red/green for 2, and the channel mean in grey for more than 3.
/// </summary>
public static class NodeImages
{
    /// <summary>The binary mask of one node: an unpruned input is full intensity in its channel's colour.</summary>
    public static RgbImage Mask(LayerMask mask, int node, InputGeometry geometry)
    {
        geometry.EnsureMatches(mask);
        ReadOnlySpan<byte> row = mask.Row(node);
        var unit = new double[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            unit[i] = row[i];
        }
        return FromUnitChannels(unit, geometry);
    }

    /// <summary>Masked weights w*m of one node scaled from their minimum (0) to their maximum (255), as in Fig. 3b.</summary>
    public static RgbImage MaskedWeights(ReadOnlySpan<float> weightRow, ReadOnlySpan<byte> maskRow, InputGeometry geometry)
    {
        if (weightRow.Length != geometry.InputCount || maskRow.Length != geometry.InputCount)
        {
            throw new ArgumentException($"Expected {geometry.InputCount} weights and mask values.");
        }
        var masked = new double[weightRow.Length];
        for (int i = 0; i < masked.Length; i++)
        {
            masked[i] = maskRow[i] != 0 ? weightRow[i] : 0;
        }
        double min = masked.Min(), max = masked.Max();
        double range = max - min;
        for (int i = 0; i < masked.Length; i++)
        {
            masked[i] = range > 0 ? (masked[i] - min) / range : 0.5;
        }
        return FromUnitChannels(masked, geometry);
    }

    /// <summary>An input image given as bytes in channel-major (C, H, W) order.</summary>
    public static RgbImage Input(ReadOnlySpan<byte> channelMajor, InputGeometry geometry)
    {
        if (channelMajor.Length != geometry.InputCount)
        {
            throw new ArgumentException($"Expected {geometry.InputCount} bytes for a {geometry} image.", nameof(channelMajor));
        }
        var unit = new double[channelMajor.Length];
        for (int i = 0; i < unit.Length; i++)
        {
            unit[i] = channelMajor[i] / 255.0;
        }
        return FromUnitChannels(unit, geometry);
    }

    /// <summary>Values in [0, 1], channel-major.</summary>
    public static RgbImage FromUnitChannels(IReadOnlyList<double> unit, InputGeometry geometry)
    {
        int pixels = geometry.PixelsPerChannel, channels = geometry.Channels;
        var rgb = new byte[pixels * 3];
        for (int p = 0; p < pixels; p++)
        {
            for (int colour = 0; colour < 3; colour++)
            {
                double value = channels switch
                {
                    1 => unit[p],
                    2 or 3 => colour < channels ? unit[colour * pixels + p] : 0,
                    _ => Enumerable.Range(0, channels).Average(c => unit[c * pixels + p]),
                };
                rgb[p * 3 + colour] = (byte)Math.Round(255 * Math.Clamp(value, 0, 1));
            }
        }
        return new RgbImage(geometry.Width, geometry.Height, rgb);
    }
}
