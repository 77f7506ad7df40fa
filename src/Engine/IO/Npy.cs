using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Grid.Engine.IO;

/// <summary>Reads and writes single arrays in numpy's .npy format (little-endian, C order).</summary>
public static class Npy
{
    private const int ElementsPerSlice = 1 << 20;

    public static void Write(Stream stream, NpyArray array)
    {
        stream.Write(new NpyHeader(array.Dtype, array.Shape, FortranOrder: false).Encode());
        switch (array.Data)
        {
            case byte[] a: WriteElements(stream, a); break;
            case int[] a: WriteElements(stream, a); break;
            case long[] a: WriteElements(stream, a); break;
            case float[] a: WriteElements(stream, a); break;
            case double[] a: WriteElements(stream, a); break;
            case bool[] a: WriteElements(stream, a); break;
            default: throw new ArgumentException($"unsupported data {array.Data.GetType().Name}", nameof(array));
        }
    }

    /// <summary>Reads one array; the stream may be non-seekable (a zip entry).</summary>
    /// <exception cref="InvalidDataException">Malformed or truncated; the message states the problem.</exception>
    public static NpyArray Read(Stream stream)
    {
        var header = NpyHeader.Read(stream);
        long count = header.ElementCount;
        if (count > Array.MaxLength)
        {
            throw new InvalidDataException($"{count} elements exceed the largest supported array ({Array.MaxLength})");
        }

        int n = (int)count;
        Array data = header.Dtype switch
        {
            NpyDtype.UInt8 => ReadElements<byte>(stream, n),
            NpyDtype.Int32 => ReadElements<int>(stream, n),
            NpyDtype.Int64 => ReadElements<long>(stream, n),
            NpyDtype.Float32 => ReadElements<float>(stream, n),
            NpyDtype.Float64 => ReadElements<double>(stream, n),
            NpyDtype.Bool => ReadBools(stream, n),
            _ => throw new InvalidDataException($"unsupported dtype {header.Dtype}"),
        };
        return new NpyArray(header.Dtype, header.Shape, data);
    }

    /// <summary>Reads a .npy file.</summary>
    /// <exception cref="NpyFormatException">Names the file and the problem.</exception>
    public static NpyArray ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new NpyFormatException(path, e.Message);
        }
    }

    private static void WriteElements<T>(Stream stream, T[] data) where T : unmanaged
    {
        for (int start = 0; start < data.Length; start += ElementsPerSlice)
        {
            int length = Math.Min(ElementsPerSlice, data.Length - start);
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan(start, length)));
        }
    }

    private static T[] ReadElements<T>(Stream stream, int count) where T : unmanaged
    {
        var data = GC.AllocateUninitializedArray<T>(count);
        int itemSize = Unsafe.SizeOf<T>();
        for (int start = 0; start < count; start += ElementsPerSlice)
        {
            int length = Math.Min(ElementsPerSlice, count - start);
            var bytes = MemoryMarshal.AsBytes(data.AsSpan(start, length));
            int read = NpyHeader.ReadFully(stream, bytes);
            if (read < bytes.Length)
            {
                long got = (long)start * itemSize + read;
                throw new InvalidDataException($"truncated: expected {(long)count * itemSize} data bytes, found {got}");
            }
        }

        return data;
    }

    private static bool[] ReadBools(Stream stream, int count)
    {
        var raw = ReadElements<byte>(stream, count);
        var result = new bool[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = raw[i] != 0;
        }

        return result;
    }
}
