using Grid.Analysis.Masks;
using Grid.Analysis.Pictures;
using Grid.Analysis.Tests.Support;
using SkiaSharp;

namespace Grid.Analysis.Tests.Pictures;

public sealed class GifEncoderTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static SKBitmap RandomFrame(int width, int height, int colours, int seed)
    {
        var random = new Random(seed);
        var palette = Enumerable.Range(0, colours).Select(_ => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, palette[random.Next(colours)]);
            }
        }
        return bitmap;
    }

    /// <summary>Counts image descriptors by walking the GIF block structure.</summary>
    private static int CountFrames(byte[] gif)
    {
        Assert.Equal("GIF89a"u8.ToArray(), gif[..6]);
        int position = 13 + ((gif[10] & 0x80) != 0 ? 3 << ((gif[10] & 7) + 1) : 0);
        int frames = 0;
        while (gif[position] != 0x3B)
        {
            if (gif[position] == 0x21)
            {
                position += 2;
            }
            else
            {
                Assert.Equal(0x2C, gif[position]);
                frames++;
                byte packed = gif[position + 9];
                position += 10 + ((packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0) + 1; // descriptor, table, LZW size
            }
            while (gif[position] != 0)
            {
                position += gif[position] + 1; // data sub-blocks
            }
            position++;
        }
        return frames;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(200)]
    [InlineData(256)]
    public void FramesRoundTripExactlyThroughSkiasGifDecoder(int colours)
    {
        // 256 random colours over 120x90 pixels overflow the 4096-entry LZW table many times
        SKBitmap[] frames = [RandomFrame(120, 90, colours, 1), RandomFrame(120, 90, colours, 2), RandomFrame(120, 90, colours, 3)];

        byte[] gif = GifEncoder.Encode(frames, delayCentiseconds: 50);

        Assert.Equal(3, CountFrames(gif));
        using var codec = SKCodec.Create(new MemoryStream(gif));
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Gif, codec.EncodedFormat);
        Assert.Equal(3, codec.FrameCount);
        Assert.Equal(500, codec.FrameInfo[1].Duration);
        var info = new SKImageInfo(120, 90, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        for (int f = 0; f < frames.Length; f++)
        {
            Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, decoded.GetPixels(), new SKCodecOptions(f, f - 1)));
            for (int y = 0; y < 90; y++)
            {
                for (int x = 0; x < 120; x++)
                {
                    Assert.Equal(frames[f].GetPixel(x, y), decoded.GetPixel(x, y));
                }
            }
        }
        foreach (SKBitmap frame in frames)
        {
            frame.Dispose();
        }
    }

    [Fact]
    public void FramesWithMoreThan256ColoursAreMappedToTheNearestKept()
    {
        using SKBitmap frame = RandomFrame(64, 64, 1000, 4);

        byte[] gif = GifEncoder.Encode([frame]);

        using SKBitmap decoded = SKBitmap.Decode(gif);
        Assert.Equal(64, decoded.Width);
        Assert.Equal(1, CountFrames(gif));
    }

    [Fact]
    public void MaskEvolutionHasOneFramePerIteration()
    {
        var geometry = new InputGeometry(3, 16, 16);
        MaskSnapshot[] snapshots = Enumerable.Range(0, 5)
            .Select(i => new MaskSnapshot(i, RandomMasks.Bernoulli(30, geometry.InputCount, Math.Pow(0.7, i), new Random(i))))
            .ToArray();

        var files = MaskEvolutionAnimation.Save(_directory.File("evolution"), snapshots, geometry, count: 8, columns: 8);

        byte[] gif = File.ReadAllBytes(files.ImagePath);
        Assert.Equal(".gif", Path.GetExtension(files.ImagePath));
        Assert.Equal(5, CountFrames(gif));
        using var codec = SKCodec.Create(new MemoryStream(gif));
        Assert.Equal(5, codec.FrameCount);
        Assert.Equal(8 * (48 + 6) + 6, codec.Info.Width); // wider than the frame title
        Assert.Contains("\"iteration\": 4", File.ReadAllText(files.DataPath));
    }
}
