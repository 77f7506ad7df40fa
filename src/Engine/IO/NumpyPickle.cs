using System.Collections;
using Razorvine.Pickle;

namespace Grid.Engine.IO;

/// <summary>
/// Loads python pickles that contain numpy arrays, with Razorvine.Pickle. numpy pickles an ndarray by
/// reduction: protocols 2-4 emit <c>numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')</c> followed by
/// BUILD with the state <c>(version, shape, dtype, is_fortran, raw_bytes)</c>, where the dtype is
/// <c>numpy.dtype(code, False, True)</c> + BUILD <c>(3, byte_order, ...)</c> and the raw bytes are BINBYTES
/// (protocol 3+), a latin-1 <c>_codecs.encode</c> call (protocol 2 from python 3) or a byte string (python 2);
/// protocol 5 emits <c>numpy.core.numeric._frombuffer(buffer, dtype, shape, order)</c>. numpy 2 spells the
/// module <c>numpy._core</c>; both are registered. In the returned graph every ndarray is an
/// <see cref="NpyArray"/>; dicts are <see cref="Hashtable"/>, lists <see cref="ArrayList"/>, tuples object[].
/// </summary>
public static class NumpyPickle
{
    private static readonly Lazy<bool> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <exception cref="NpyFormatException">Names the file and the problem.</exception>
    public static object? Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Load(stream, path);
    }

    /// <exception cref="NpyFormatException">Names <paramref name="source"/> and the problem.</exception>
    public static object? Load(Stream stream, string source)
    {
        _ = Registered.Value;
        object? graph;
        try
        {
            using var unpickler = new Unpickler();
            graph = unpickler.load(stream);
        }
        catch (Exception e) when (e is PickleException or InvalidDataException or InvalidCastException
            or EndOfStreamException or IOException or IndexOutOfRangeException or ArgumentException or FormatException)
        {
            string problem = e is EndOfStreamException || e.InnerException is EndOfStreamException
                ? "truncated pickle (unexpected end of file)"
                : $"unreadable pickle: {Innermost(e).Message}";
            throw new NpyFormatException(source, problem);
        }

        return Convert(graph);
    }

    /// <summary>True when the file starts with a pickle PROTO opcode (protocol 2..5).</summary>
    public static bool LooksLikePickle(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[2];
        return NpyHeader.ReadFully(stream, start) == 2 && start[0] == 0x80 && start[1] is >= 2 and <= 5;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }

    private static object? Convert(object? value)
    {
        switch (value)
        {
            case PickledNdarray array:
                return array.ToNpyArray();
            case Hashtable dict:
                foreach (object key in dict.Keys.Cast<object>().ToList())
                {
                    dict[key] = Convert(dict[key]);
                }

                return dict;
            case ArrayList list:
                for (int i = 0; i < list.Count; i++)
                {
                    list[i] = Convert(list[i]);
                }

                return list;
            case object?[] tuple:
                for (int i = 0; i < tuple.Length; i++)
                {
                    tuple[i] = Convert(tuple[i]);
                }

                return tuple;
            default:
                return value;
        }
    }

    private static bool Register()
    {
        foreach (string core in new[] { "numpy.core", "numpy._core" })
        {
            Unpickler.registerConstructor($"{core}.multiarray", "_reconstruct", new ReconstructConstructor());
            Unpickler.registerConstructor($"{core}.numeric", "_frombuffer", new FromBufferConstructor());
        }

        Unpickler.registerConstructor("numpy", "dtype", new DtypeConstructor());
        return true;
    }

    private sealed class ReconstructConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new PickledNdarray();
    }

    private sealed class DtypeConstructor : IObjectConstructor
    {
        public object construct(object[] args) =>
            new PickledDtype(args.Length > 0 && args[0] is string code ? code : throw new PickleException("numpy.dtype without a type code"));
    }

    private sealed class FromBufferConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args.Length < 3 || args[1] is not PickledDtype dtype || args[2] is not object[] shape)
            {
                throw new PickleException("numpy _frombuffer: expected (buffer, dtype, shape, order)");
            }

            string order = args.Length > 3 && args[3] is string o ? o : "C";
            var array = new PickledNdarray();
            array.__setstate__([1, shape, dtype, order == "F", args[0]]);
            return array.ToNpyArray();
        }
    }
}
