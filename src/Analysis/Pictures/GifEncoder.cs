using SkiaSharp;

namespace Grid.Analysis.Pictures;

/// <summary>
/// A minimal animated GIF89a writer (SkiaSharp decodes GIF but cannot encode it): looping NETSCAPE2.0 extension,
/// one graphic control extension and one full-size image with its own local colour table per frame, LZW-compressed.
/// Frames with at most 256 distinct colours (binary masks, grids) are stored exactly; otherwise the 256 most frequent
/// colours are kept and the rest mapped to the nearest of them.
/// </summary>
public static class GifEncoder
{
    private const int MaxCodeBits = 12;
    private const int MaxCodes = 1 << MaxCodeBits;

    /// <param name="frames">Same-size frames.</param>
    /// <param name="delayCentiseconds">Time each frame is shown, in 1/100 s.</param>
    /// <param name="loopCount">0 loops forever.</param>
    public static byte[] Encode(IReadOnlyList<SKBitmap> frames, int delayCentiseconds = 80, int loopCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count);
        int width = frames[0].Width, height = frames[0].Height;
        if (width > ushort.MaxValue || height > ushort.MaxValue)
        {
            throw new ArgumentException("GIF frames are limited to 65535 pixels per side.", nameof(frames));
        }
        if (frames.Any(f => f.Width != width || f.Height != height))
        {
            throw new ArgumentException("All frames must have the same size.", nameof(frames));
        }
        using var output = new MemoryStream();
        output.Write("GIF89a"u8);
        WriteUInt16(output, width);
        WriteUInt16(output, height);
        output.WriteByte(0); // no global colour table
        output.WriteByte(0); // background colour index
        output.WriteByte(0); // pixel aspect ratio
        output.Write([0x21, 0xFF, 0x0B]);
        output.Write("NETSCAPE2.0"u8);
        output.Write([0x03, 0x01]);
        WriteUInt16(output, loopCount);
        output.WriteByte(0);
        foreach (SKBitmap frame in frames)
        {
            WriteFrame(output, frame, delayCentiseconds);
        }
        output.WriteByte(0x3B); // trailer
        return output.ToArray();
    }

    private static void WriteFrame(Stream output, SKBitmap frame, int delayCentiseconds)
    {
        (byte[] indices, int[] palette) = Quantise(frame);
        int tableBits = 1;
        while ((1 << tableBits) < palette.Length)
        {
            tableBits++;
        }
        // graphic control extension: disposal "do not dispose", no transparency
        output.Write([0x21, 0xF9, 0x04, 0x04]);
        WriteUInt16(output, delayCentiseconds);
        output.Write([0x00, 0x00]);
        // image descriptor with a local colour table of 2^tableBits entries
        output.WriteByte(0x2C);
        WriteUInt16(output, 0);
        WriteUInt16(output, 0);
        WriteUInt16(output, frame.Width);
        WriteUInt16(output, frame.Height);
        output.WriteByte((byte)(0x80 | (tableBits - 1)));
        for (int k = 0; k < 1 << tableBits; k++)
        {
            int rgb = k < palette.Length ? palette[k] : 0;
            output.Write([(byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb]);
        }
        int minimumCodeSize = Math.Max(2, tableBits);
        output.WriteByte((byte)minimumCodeSize);
        WriteSubBlocks(output, Compress(indices, minimumCodeSize));
    }

    /// <summary>Palette indices per pixel and the palette (0xRRGGBB).</summary>
    private static (byte[] Indices, int[] Palette) Quantise(SKBitmap frame)
    {
        int width = frame.Width, height = frame.Height;
        var colours = new int[width * height];
        var frequency = new Dictionary<int, int>();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                SKColor c = frame.GetPixel(x, y);
                int rgb = (c.Red << 16) | (c.Green << 8) | c.Blue;
                colours[y * width + x] = rgb;
                frequency[rgb] = frequency.GetValueOrDefault(rgb) + 1;
            }
        }
        int[] palette = frequency.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(256).Select(kv => kv.Key).ToArray();
        var indexOf = new Dictionary<int, byte>();
        for (int k = 0; k < palette.Length; k++)
        {
            indexOf[palette[k]] = (byte)k;
        }
        var indices = new byte[colours.Length];
        for (int p = 0; p < colours.Length; p++)
        {
            if (!indexOf.TryGetValue(colours[p], out byte index))
            {
                index = Nearest(palette, colours[p]);
                indexOf[colours[p]] = index;
            }
            indices[p] = index;
        }
        return (indices, palette);
    }

    private static byte Nearest(int[] palette, int rgb)
    {
        int best = 0;
        long bestDistance = long.MaxValue;
        for (int k = 0; k < palette.Length; k++)
        {
            long dr = ((palette[k] >> 16) & 0xFF) - ((rgb >> 16) & 0xFF);
            long dg = ((palette[k] >> 8) & 0xFF) - ((rgb >> 8) & 0xFF);
            long db = (palette[k] & 0xFF) - (rgb & 0xFF);
            long distance = dr * dr + dg * dg + db * db;
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = k;
            }
        }
        return (byte)best;
    }

    /// <summary>GIF-flavoured variable-width LZW (codes packed LSB first, clear code when the 4096-entry table is full).</summary>
    private static byte[] Compress(byte[] indices, int minimumCodeSize)
    {
        int clearCode = 1 << minimumCodeSize;
        int endCode = clearCode + 1;
        var writer = new BitWriter();
        var table = new Dictionary<int, int>();
        int codeSize = minimumCodeSize + 1;
        int nextCode = endCode + 1;
        writer.Write(clearCode, codeSize);
        int prefix = indices[0];
        for (int p = 1; p < indices.Length; p++)
        {
            int key = (prefix << 8) | indices[p];
            if (table.TryGetValue(key, out int code))
            {
                prefix = code;
                continue;
            }
            writer.Write(prefix, codeSize);
            if (nextCode < MaxCodes)
            {
                // the decoder widens its codes once the table it builds (one entry behind) reaches 2^codeSize
                if (nextCode > (1 << codeSize) - 1 && codeSize < MaxCodeBits)
                {
                    codeSize++;
                }
                table[key] = nextCode++;
            }
            else
            {
                writer.Write(clearCode, codeSize);
                table.Clear();
                codeSize = minimumCodeSize + 1;
                nextCode = endCode + 1;
            }
            prefix = indices[p];
        }
        writer.Write(prefix, codeSize);
        if (nextCode > (1 << codeSize) - 1 && codeSize < MaxCodeBits)
        {
            codeSize++;
        }
        writer.Write(endCode, codeSize);
        return writer.ToArray();
    }

    private static void WriteSubBlocks(Stream output, byte[] data)
    {
        for (int offset = 0; offset < data.Length; offset += 255)
        {
            int length = Math.Min(255, data.Length - offset);
            output.WriteByte((byte)length);
            output.Write(data, offset, length);
        }
        output.WriteByte(0); // block terminator
    }

    private static void WriteUInt16(Stream output, int value)
    {
        output.WriteByte((byte)(value & 0xFF));
        output.WriteByte((byte)((value >> 8) & 0xFF));
    }

    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];
        private int _buffer;
        private int _bits;

        public void Write(int code, int width)
        {
            _buffer |= code << _bits;
            _bits += width;
            while (_bits >= 8)
            {
                _bytes.Add((byte)(_buffer & 0xFF));
                _buffer >>= 8;
                _bits -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_bits > 0)
            {
                _bytes.Add((byte)(_buffer & 0xFF));
                _buffer = 0;
                _bits = 0;
            }
            return _bytes.ToArray();
        }
    }
}
