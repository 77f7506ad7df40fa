namespace Grid.Analysis.Masks;

/// <summary>
/// Shape of a first-layer input image, channel-major: input index i = c*H*W + y*W + x.
/// </summary>
public sealed record InputGeometry
{
    public InputGeometry(int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Channels = channels;
        Height = height;
        Width = width;
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Pixels per channel, H*W.</summary>
    public int PixelsPerChannel => Height * Width;

    /// <summary>n0 = C*H*W.</summary>
    public int InputCount => Channels * Height * Width;

    public int IndexOf(int channel, int y, int x) => (channel * Height + y) * Width + x;

    public (int Channel, int Y, int X) PositionOf(int index)
    {
        int channel = Math.DivRem(index, PixelsPerChannel, out int pixel);
        int y = Math.DivRem(pixel, Width, out int x);
        return (channel, y, x);
    }

    /// <summary>Throws unless a mask's input count matches this geometry.</summary>
    public void EnsureMatches(LayerMask mask)
    {
        if (mask.Inputs != InputCount)
        {
            throw new ArgumentException(
                $"The mask has {mask.Inputs} inputs but the geometry {this} has {InputCount}.", nameof(mask));
        }
    }

    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
