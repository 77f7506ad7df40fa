using SkiaSharp;

namespace Grid.Analysis.Tests.Support;

internal static class PngAssert
{
    /// <summary>The file is a PNG (signature) that SkiaSharp decodes to the expected size.</summary>
    public static SKBitmap DecodesTo(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is not a PNG");
        SKBitmap bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        return bitmap;
    }
}
