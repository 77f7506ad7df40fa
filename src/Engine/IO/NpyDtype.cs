namespace Grid.Engine.IO;

/// <summary>The numpy element types this product reads and writes (little-endian).</summary>
public enum NpyDtype
{
    UInt8,
    Int32,
    Int64,
    Float32,
    Float64,
    Bool,
}

public static class NpyDtypes
{
    /// <summary>The descr string numpy writes in .npy headers, e.g. '&lt;f4'.</summary>
    public static string Descr(this NpyDtype dtype) => dtype switch
    {
        NpyDtype.UInt8 => "|u1",
        NpyDtype.Int32 => "<i4",
        NpyDtype.Int64 => "<i8",
        NpyDtype.Float32 => "<f4",
        NpyDtype.Float64 => "<f8",
        NpyDtype.Bool => "|b1",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static int ItemSize(this NpyDtype dtype) => dtype switch
    {
        NpyDtype.UInt8 or NpyDtype.Bool => 1,
        NpyDtype.Int32 or NpyDtype.Float32 => 4,
        NpyDtype.Int64 or NpyDtype.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The CLR element type of <see cref="NpyArray.Data"/> for this dtype.</summary>
    public static Type ElementType(this NpyDtype dtype) => dtype switch
    {
        NpyDtype.UInt8 => typeof(byte),
        NpyDtype.Int32 => typeof(int),
        NpyDtype.Int64 => typeof(long),
        NpyDtype.Float32 => typeof(float),
        NpyDtype.Float64 => typeof(double),
        NpyDtype.Bool => typeof(bool),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static bool IsInteger(this NpyDtype dtype) =>
        dtype is NpyDtype.UInt8 or NpyDtype.Int32 or NpyDtype.Int64;

    /// <summary>
    /// Parses a numpy type string: an optional byte-order character ('&lt;', '|', '=', or '&gt;' for one-byte
    /// types) followed by kind and size (u1, i4, i8, f4, f8, b1). Returns null for anything else, including
    /// big-endian multi-byte types.
    /// </summary>
    public static NpyDtype? TryParse(string descr)
    {
        if (string.IsNullOrEmpty(descr))
        {
            return null;
        }

        char order = descr[0];
        string code = order is '<' or '>' or '|' or '=' ? descr[1..] : descr;
        NpyDtype? dtype = code switch
        {
            "u1" or "B" => NpyDtype.UInt8,
            "i4" or "i" => NpyDtype.Int32,
            "i8" or "l" or "q" => NpyDtype.Int64,
            "f4" or "f" => NpyDtype.Float32,
            "f8" or "d" => NpyDtype.Float64,
            "b1" or "?" => NpyDtype.Bool,
            _ => null,
        };
        if (dtype is { } parsed && order == '>' && parsed.ItemSize() > 1)
        {
            return null;
        }

        return dtype;
    }
}
