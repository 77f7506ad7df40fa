using System.Buffers.Binary;

namespace Grid.Tests.Shared;

/// <summary>The bytes of an IDX file (MNIST's format): a big-endian magic number and dimensions, then the payload.</summary>
public static class IdxEncoding
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    public static byte[] Encode(int magic, int[] dimensions, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }

        payload.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }
}
