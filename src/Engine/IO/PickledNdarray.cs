using System.Collections;
using System.Runtime.InteropServices;
using Razorvine.Pickle;

namespace Grid.Engine.IO;

/// <summary>An ndarray under reconstruction by the unpickler; see <see cref="NumpyPickle"/>.</summary>
internal sealed class PickledNdarray
{
    private NpyArray? _array;

    /// <summary>
    /// numpy's ndarray.__setstate__: (version, shape, dtype, is_fortran, data) or, for old pickles,
    /// (shape, dtype, is_fortran, data).
    /// </summary>
    public void __setstate__(object[] state)
    {
        int offset = state.Length switch
        {
            5 => 1,
            4 => 0,
            _ => throw new PickleException($"ndarray state with {state.Length} fields"),
        };
        var shape = state[offset] is object[] dims
            ? dims.Select(d => System.Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : throw new PickleException("ndarray state without a shape tuple");
        var dtype = state[offset + 1] is PickledDtype d ? d.Resolve() : throw new PickleException("ndarray state without a dtype");
        bool fortran = state[offset + 2] is true;
        byte[] raw = state[offset + 3] switch
        {
            byte[] bytes => bytes,
            string latin1 => Latin1Bytes(latin1),
            ArrayList => throw new PickleException("object arrays are not supported"),
            var other => throw new PickleException($"ndarray data of type {other?.GetType().Name ?? "None"}"),
        };
        if (fortran && shape.Count(s => s > 1) > 1)
        {
            throw new PickleException("Fortran-order arrays are not supported");
        }

        long count = NpyArray.ElementCount(shape);
        if (raw.LongLength != count * dtype.ItemSize())
        {
            throw new PickleException($"ndarray of shape ({string.Join(", ", shape)}) and dtype {dtype.Descr()} needs {count * dtype.ItemSize()} bytes, found {raw.LongLength}");
        }

        _array = new NpyArray(dtype, shape, Typed(dtype, raw));
    }

    public NpyArray ToNpyArray() => _array ?? throw new PickleException("ndarray without state");

    private static Array Typed(NpyDtype dtype, byte[] raw) => dtype switch
    {
        NpyDtype.UInt8 => raw,
        NpyDtype.Int32 => MemoryMarshal.Cast<byte, int>(raw).ToArray(),
        NpyDtype.Int64 => MemoryMarshal.Cast<byte, long>(raw).ToArray(),
        NpyDtype.Float32 => MemoryMarshal.Cast<byte, float>(raw).ToArray(),
        NpyDtype.Float64 => MemoryMarshal.Cast<byte, double>(raw).ToArray(),
        NpyDtype.Bool => raw.Select(b => b != 0).ToArray(),
        _ => throw new PickleException($"unsupported dtype {dtype}"),
    };

    private static byte[] Latin1Bytes(string text)
    {
        var bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            bytes[i] = text[i] <= 0xFF ? (byte)text[i] : throw new PickleException("ndarray data string is not latin-1");
        }

        return bytes;
    }
}
