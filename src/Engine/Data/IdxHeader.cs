using System.Buffers.Binary;

namespace Grid.Engine.Data;

/// <summary>
/// The header of an IDX file (MNIST format): two zero bytes, the element type (0x08 = unsigned byte), the
/// number of dimensions, then each dimension as a big-endian int32. Images are idx3 (magic 0x00000803:
/// count, rows, columns), labels idx1 (magic 0x00000801: count).
/// </summary>
internal sealed record IdxHeader(int[] Dimensions)
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    public int Count => Dimensions[0];
    public int ByteCount => 4 + 4 * Dimensions.Length;
    public long PayloadBytes => Dimensions.Aggregate(1L, (product, d) => product * d);

    /// <summary>Reads the header of an images (rank 3) or labels (rank 1) file and validates magic and sizes.</summary>
    public static IdxHeader Read(Stream content, string file, int expectedMagic)
    {
        Span<byte> magic = stackalloc byte[4];
        DatasetFiles.ReadExactly(content, magic, file, "IDX header");
        int value = BinaryPrimitives.ReadInt32BigEndian(magic);
        if (value != expectedMagic)
        {
            string kind = expectedMagic == ImagesMagic ? "an images (idx3-ubyte)" : "a labels (idx1-ubyte)";
            throw new DatasetException(file, $"bad magic number 0x{value:X8}, expected 0x{expectedMagic:X8} for {kind} file");
        }

        int rank = expectedMagic & 0xFF;
        Span<byte> dims = stackalloc byte[4 * rank];
        DatasetFiles.ReadExactly(content, dims, file, "IDX header");
        var dimensions = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(dims[(4 * i)..]);
            if (dimensions[i] <= 0)
            {
                throw new DatasetException(file, $"dimension {i} is {dimensions[i]}, expected a positive size");
            }
        }

        var header = new IdxHeader(dimensions);
        if (header.PayloadBytes > Array.MaxLength)
        {
            throw new DatasetException(file, $"implausible size {string.Join("x", dimensions)}");
        }

        return header;
    }
}
