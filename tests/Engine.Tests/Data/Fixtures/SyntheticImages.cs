namespace Grid.Engine.Tests.Data.Fixtures;

/// <summary>Deterministic image content: image i, byte p of its channel-major pixels.</summary>
internal static class SyntheticImages
{
    public static byte Pixel(int image, int feature) => (byte)((image * 31 + feature * 7 + 3) % 256);

    /// <summary>Images first..first+count-1, contiguous.</summary>
    public static byte[] Make(int first, int count, int features)
    {
        var pixels = new byte[count * features];
        for (int i = 0; i < count; i++)
        {
            for (int f = 0; f < features; f++)
            {
                pixels[i * features + f] = Pixel(first + i, f);
            }
        }

        return pixels;
    }
}
