namespace Grid.Engine.IO;

/// <summary>
/// A dense numpy array in C order: element type, shape and the flat data as a CLR array of the matching
/// element type (byte, int, long, float, double or bool; see <see cref="NpyDtypes.ElementType"/>).
/// </summary>
public sealed record NpyArray
{
    public NpyArray(NpyDtype dtype, long[] shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 1 || data.GetType().GetElementType() != dtype.ElementType())
        {
            throw new ArgumentException($"dtype {dtype} needs a one-dimensional {dtype.ElementType().Name}[], got {data.GetType().Name}", nameof(data));
        }

        long count = ElementCount(shape);
        if (count != data.LongLength)
        {
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} elements but data has {data.LongLength}", nameof(data));
        }

        Dtype = dtype;
        Shape = shape;
        Data = data;
    }

    public NpyDtype Dtype { get; }
    public long[] Shape { get; }
    public Array Data { get; }
    public long Count => Data.LongLength;
    public int Rank => Shape.Length;

    public static NpyArray Of(byte[] data, params long[] shape) => new(NpyDtype.UInt8, ShapeOr(shape, data), data);
    public static NpyArray Of(int[] data, params long[] shape) => new(NpyDtype.Int32, ShapeOr(shape, data), data);
    public static NpyArray Of(long[] data, params long[] shape) => new(NpyDtype.Int64, ShapeOr(shape, data), data);
    public static NpyArray Of(float[] data, params long[] shape) => new(NpyDtype.Float32, ShapeOr(shape, data), data);
    public static NpyArray Of(double[] data, params long[] shape) => new(NpyDtype.Float64, ShapeOr(shape, data), data);
    public static NpyArray Of(bool[] data, params long[] shape) => new(NpyDtype.Bool, ShapeOr(shape, data), data);

    /// <summary>The data as T[]; throws when T is not this array's element type.</summary>
    public T[] As<T>() => Data as T[] ??
        throw new InvalidCastException($"array of dtype {Dtype} is not a {typeof(T).Name}[]");

    /// <summary>The elements of an integer or bool array as long.</summary>
    public long[] ToInt64() => Data switch
    {
        byte[] a => [.. a.Select(v => (long)v)],
        int[] a => [.. a.Select(v => (long)v)],
        long[] a => (long[])a.Clone(),
        bool[] a => [.. a.Select(v => v ? 1L : 0L)],
        _ => throw new InvalidCastException($"array of dtype {Dtype} is not an integer array"),
    };

    /// <summary>The elements of any array as double.</summary>
    public double[] ToDouble() => Data switch
    {
        byte[] a => [.. a.Select(v => (double)v)],
        int[] a => [.. a.Select(v => (double)v)],
        long[] a => [.. a.Select(v => (double)v)],
        float[] a => [.. a.Select(v => (double)v)],
        double[] a => (double[])a.Clone(),
        bool[] a => [.. a.Select(v => v ? 1.0 : 0.0)],
        _ => throw new InvalidCastException($"array of dtype {Dtype} is not numeric"),
    };

    public static long ElementCount(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (long dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            count = checked(count * dimension);
        }

        return count;
    }

    private static long[] ShapeOr(long[] shape, Array data) => shape.Length > 0 ? shape : [data.LongLength];
}
