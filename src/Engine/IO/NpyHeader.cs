using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Grid.Engine.IO;

/// <summary>
/// The header of a .npy file: dtype, shape and order. Format (numpy's NEP 1): magic "\x93NUMPY", major and
/// minor version, header length (uint16 for 1.0, uint32 for 2.0/3.0), then a python dict literal padded with
/// spaces and ended by '\n' so that the data starts at a multiple of 64 bytes.
/// </summary>
public sealed partial record NpyHeader(NpyDtype Dtype, long[] Shape, bool FortranOrder)
{
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int Alignment = 64;

    public long ElementCount => NpyArray.ElementCount(Shape);

    /// <summary>The header bytes numpy would write for this dtype and shape (C order).</summary>
    public byte[] Encode()
    {
        string shape = Shape.Length switch
        {
            0 => "()",
            1 => $"({Shape[0].ToString(CultureInfo.InvariantCulture)},)",
            _ => $"({string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})",
        };
        string dict = $"{{'descr': '{Dtype.Descr()}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
        byte[] text = Encoding.ASCII.GetBytes(dict);
        foreach (int major in new[] { 1, 2 })
        {
            int prefix = Magic.Length + 2 + (major == 1 ? 2 : 4);
            int total = (prefix + text.Length + 1 + Alignment - 1) / Alignment * Alignment;
            int headerLength = total - prefix;
            if (major == 2 || headerLength <= ushort.MaxValue)
            {
                var bytes = new byte[total];
                Magic.CopyTo(bytes);
                bytes[Magic.Length] = (byte)major;
                bytes[Magic.Length + 1] = 0;
                if (major == 1)
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(Magic.Length + 2), (ushort)headerLength);
                }
                else
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(Magic.Length + 2), (uint)headerLength);
                }

                text.CopyTo(bytes, prefix);
                bytes.AsSpan(prefix + text.Length, headerLength - text.Length - 1).Fill((byte)' ');
                bytes[^1] = (byte)'\n';
                return bytes;
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Reads and parses a header, leaving the stream at the first data byte.</summary>
    /// <exception cref="InvalidDataException">The message states the problem (without a file name).</exception>
    public static NpyHeader Read(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (ReadFully(stream, prefix) < prefix.Length || !prefix[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a .npy array (bad magic number)");
        }

        int major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            Span<byte> length = stackalloc byte[2];
            RequireFully(stream, length, "header length");
            headerLength = BitConverter.ToUInt16(length);
        }
        else if (major is 2 or 3)
        {
            Span<byte> length = stackalloc byte[4];
            RequireFully(stream, length, "header length");
            uint value = BitConverter.ToUInt32(length);
            if (value > 1 << 24)
            {
                throw new InvalidDataException($"implausible header length {value}");
            }

            headerLength = (int)value;
        }
        else
        {
            throw new InvalidDataException($"unsupported .npy format version {major}.{prefix[7]}");
        }

        var header = new byte[headerLength];
        RequireFully(stream, header, "header");
        string text = major == 3 ? Encoding.UTF8.GetString(header) : Encoding.Latin1.GetString(header);
        return Parse(text);
    }

    /// <summary>Parses the python dict literal of a header.</summary>
    public static NpyHeader Parse(string text)
    {
        var descr = DescrPattern().Match(text);
        var fortran = FortranPattern().Match(text);
        var shape = ShapePattern().Match(text);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new InvalidDataException($"malformed header {text.Trim()}");
        }

        var dtype = NpyDtypes.TryParse(descr.Groups[1].Value) ??
            throw new InvalidDataException($"unsupported dtype '{descr.Groups[1].Value}' (supported: |u1 <i4 <i8 <f4 <f8 |b1, little-endian)");
        var dimensions = new List<long>();
        foreach (string part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out long dimension))
            {
                throw new InvalidDataException($"malformed shape ({shape.Groups[1].Value})");
            }

            dimensions.Add(dimension);
        }

        bool fortranOrder = fortran.Groups[1].Value == "True";
        long[] dims = [.. dimensions];
        if (fortranOrder && dims.Count(d => d > 1) > 1)
        {
            throw new InvalidDataException("Fortran-order arrays are not supported (save with C order)");
        }

        return new NpyHeader(dtype, dims, fortranOrder);
    }

    internal static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static void RequireFully(Stream stream, Span<byte> buffer, string what)
    {
        if (ReadFully(stream, buffer) < buffer.Length)
        {
            throw new InvalidDataException($"truncated in the {what}");
        }
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
