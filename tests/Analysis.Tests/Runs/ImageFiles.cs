namespace Grid.Analysis.Tests.Runs;

/// <summary>Signatures of the picture formats the analyses write.</summary>
internal static class ImageFiles
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.Length > Png.Length && bytes[..Png.Length].SequenceEqual(Png);

    public static bool IsGif(ReadOnlySpan<byte> bytes) => bytes.Length > 6 && (bytes[..6].SequenceEqual("GIF89a"u8) || bytes[..6].SequenceEqual("GIF87a"u8));
}
