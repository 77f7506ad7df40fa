using System.Buffers.Binary;
using System.Text;
using Razorvine.Pickle;

namespace Grid.Engine.Tests.Data.Fixtures;

/// <summary>An ndarray to pickle the way numpy does (see <see cref="NdarrayPickler"/>).</summary>
internal sealed record PickledNdarrayFixture(string TypeCode, char ByteOrder, long[] Shape, byte[] Raw);

/// <summary>
/// Writes python pickles like the published downsampled-ImageNet batch files. The dict and the list are
/// written by Razorvine.Pickle's Pickler (protocol 2); each ndarray by <see cref="NdarrayPickler"/>, which
/// emits the opcodes numpy's ndarray.__reduce__ produces under protocol 2 from python 3 (verified against
/// pickletools output of numpy 1.24):
/// GLOBAL numpy.core.multiarray._reconstruct, (GLOBAL numpy.ndarray, (0,), _codecs.encode('b', 'latin1')),
/// REDUCE, then BUILD with (1, shape, dtype, False, _codecs.encode(raw bytes as latin-1 text, 'latin1')),
/// where dtype = numpy.dtype(code, False, True) + BUILD (3, byte_order, None, None, None, -1, -1, 0).
/// </summary>
internal static class NumpyPickleFixture
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        Pickler.registerCustomPickler(typeof(PickledNdarrayFixture), new NdarrayPickler());
        return true;
    });

    public static PickledNdarrayFixture UInt8(byte[] data, params long[] shape) => new("u1", '|', shape, data);

    public static PickledNdarrayFixture Float64(double[] data, params long[] shape) =>
        new("f8", '<', shape, [.. data.SelectMany(BitConverter.GetBytes)]);

    public static PickledNdarrayFixture Float32(float[] data, params long[] shape) =>
        new("f4", '<', shape, [.. data.SelectMany(BitConverter.GetBytes)]);

    /// <summary>A batch dict: data (uint8 [N, features]), labels (python list of ints), optional mean (float64 [features]).</summary>
    public static byte[] Batch(byte[] images, int features, IEnumerable<int> labels, double[]? mean)
    {
        var dict = new Dictionary<string, object>
        {
            ["data"] = UInt8(images, images.Length / features, features),
            ["labels"] = labels.Cast<object>().ToList(),
        };
        if (mean is not null)
        {
            dict["mean"] = Float64(mean, mean.Length);
        }

        return Dumps(dict);
    }

    public static byte[] Dumps(object value)
    {
        _ = Registered.Value;
        return new Pickler().dumps(value);
    }

    private sealed class NdarrayPickler : IObjectPickler
    {
        public void pickle(object o, Stream output, Pickler currentPickler)
        {
            var array = (PickledNdarrayFixture)o;
            Global(output, "numpy.core.multiarray", "_reconstruct");
            Global(output, "numpy", "ndarray");
            BinInt(output, 0);
            output.WriteByte(0x85); // TUPLE1
            Latin1Bytes(output, [(byte)'b']);
            output.WriteByte(0x87); // TUPLE3
            output.WriteByte((byte)'R'); // REDUCE

            output.WriteByte((byte)'('); // MARK: the state tuple
            BinInt(output, 1);
            output.WriteByte((byte)'(');
            foreach (long dimension in array.Shape)
            {
                BinInt(output, (int)dimension);
            }

            output.WriteByte((byte)'t'); // TUPLE: shape
            Global(output, "numpy", "dtype");
            Unicode(output, array.TypeCode);
            output.WriteByte(0x89); // NEWFALSE
            output.WriteByte(0x88); // NEWTRUE
            output.WriteByte(0x87); // TUPLE3
            output.WriteByte((byte)'R');
            output.WriteByte((byte)'(');
            BinInt(output, 3);
            Unicode(output, array.ByteOrder.ToString());
            output.WriteByte((byte)'N');
            output.WriteByte((byte)'N');
            output.WriteByte((byte)'N');
            BinInt(output, -1);
            BinInt(output, -1);
            BinInt(output, 0);
            output.WriteByte((byte)'t');
            output.WriteByte((byte)'b'); // BUILD: dtype state
            output.WriteByte(0x89); // NEWFALSE: not Fortran order
            Latin1Bytes(output, array.Raw);
            output.WriteByte((byte)'t'); // TUPLE: the state
            output.WriteByte((byte)'b'); // BUILD: ndarray.__setstate__
        }

        private static void Global(Stream output, string module, string name)
        {
            output.WriteByte((byte)'c');
            output.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        }

        private static void BinInt(Stream output, int value)
        {
            if (value is >= 0 and < 256)
            {
                output.WriteByte((byte)'K');
                output.WriteByte((byte)value);
                return;
            }

            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            output.WriteByte((byte)'J');
            output.Write(bytes);
        }

        private static void Unicode(Stream output, string text)
        {
            var utf8 = Encoding.UTF8.GetBytes(text);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
            output.WriteByte((byte)'X');
            output.Write(length);
            output.Write(utf8);
        }

        /// <summary>Python 3 bytes under protocol 2: _codecs.encode(text, 'latin1') with one char per byte.</summary>
        private static void Latin1Bytes(Stream output, byte[] raw)
        {
            Global(output, "_codecs", "encode");
            Unicode(output, Encoding.Latin1.GetString(raw));
            Unicode(output, "latin1");
            output.WriteByte(0x86); // TUPLE2
            output.WriteByte((byte)'R');
        }
    }
}
