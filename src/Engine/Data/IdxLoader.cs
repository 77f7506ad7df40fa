using System.Buffers.Binary;

namespace Grid.Engine.Data;

/// <summary>
/// MNIST and Fashion-MNIST in IDX format: train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or gzipped (detected by the gzip magic number,
/// not the extension; the ".gz" name is looked up when the plain one is absent). Training = train-*,
/// validation = t10k-*. The mean is the per-pixel mean of the full training set.
/// </summary>
public static class IdxLoader
{
    public const int ClassCount = 10;

    /// <summary>The four files, raw names (each may also be stored as name.gz).</summary>
    public static readonly IReadOnlyList<string> Files =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Every name a file of the dataset may have (raw or gzipped).</summary>
    public static IReadOnlyList<string> FileNames { get; } = [.. Files.SelectMany(f => new[] { f, f + ".gz" })];

    public static DatasetSplit Load(string directory)
    {
        DatasetFiles.RequireDirectory(directory);
        var train = LoadPair(Locate(directory, "train-images-idx3-ubyte"), Locate(directory, "train-labels-idx1-ubyte"));
        var validation = LoadPair(Locate(directory, "t10k-images-idx3-ubyte"), Locate(directory, "t10k-labels-idx1-ubyte"));
        if (validation.Shape != train.Shape)
        {
            throw new DatasetException(validation.Source, $"images are {validation.Shape} but the training images are {train.Shape}");
        }

        return new DatasetSplit(train, validation, train.PixelMean());
    }

    /// <summary>
    /// Checks that the four files exist, that their headers are right and that the sizes agree without reading the
    /// images, and reads the labels (a few tens of KB) to check that each is a class of the dataset.
    /// </summary>
    public static DatasetCounts Validate(string directory)
    {
        DatasetFiles.RequireDirectory(directory);
        var counts = new int[2];
        string[] prefixes = ["train", "t10k"];
        for (int split = 0; split < prefixes.Length; split++)
        {
            string imagesFile = Locate(directory, $"{prefixes[split]}-images-idx3-ubyte");
            string labelsFile = Locate(directory, $"{prefixes[split]}-labels-idx1-ubyte");
            var images = ValidateFile(imagesFile, IdxHeader.ImagesMagic);
            var labels = ValidateFile(labelsFile, IdxHeader.LabelsMagic);
            if (images.Count != labels.Count)
            {
                throw new DatasetException(labelsFile, $"{labels.Count} labels but {imagesFile} has {images.Count} images");
            }

            ReadLabels(labelsFile);
            counts[split] = images.Count;
        }

        return new DatasetCounts(counts[0], counts[1]);
    }

    /// <summary>Images and labels of one split; the counts must agree and every label must be below <paramref name="classCount"/>.</summary>
    public static ImageDataset LoadPair(string imagesFile, string labelsFile, int classCount = ClassCount)
    {
        var (shape, pixels, count) = ReadImages(imagesFile);
        int[] labels = ReadLabels(labelsFile, classCount);
        if (labels.Length != count)
        {
            throw new DatasetException(labelsFile, $"{labels.Length} labels but {imagesFile} has {count} images");
        }

        return new ImageDataset(shape, pixels, labels, classCount, imagesFile);
    }

    public static (ImageShape Shape, byte[] Pixels, int Count) ReadImages(string file)
    {
        using var content = OpenExisting(file);
        var header = IdxHeader.Read(content, file, IdxHeader.ImagesMagic);
        var pixels = GC.AllocateUninitializedArray<byte>((int)header.PayloadBytes);
        DatasetFiles.ReadExactly(content, pixels, file, $"{header.Count} images of {header.Dimensions[1]}x{header.Dimensions[2]}");
        DatasetFiles.RequireEnd(content, file, header.ByteCount + header.PayloadBytes);
        return (new ImageShape(1, header.Dimensions[1], header.Dimensions[2]), pixels, header.Count);
    }

    public static int[] ReadLabels(string file, int classCount = ClassCount)
    {
        using var content = OpenExisting(file);
        var header = IdxHeader.Read(content, file, IdxHeader.LabelsMagic);
        var bytes = new byte[header.Count];
        DatasetFiles.ReadExactly(content, bytes, file, $"{header.Count} labels");
        DatasetFiles.RequireEnd(content, file, header.ByteCount + header.PayloadBytes);
        var labels = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] >= classCount)
            {
                throw new DatasetException(file, $"label {bytes[i]} at index {i} is outside 0..{classCount - 1}");
            }

            labels[i] = bytes[i];
        }

        return labels;
    }

    private static string Locate(string directory, string name) => DatasetFiles.Require(directory, name, name + ".gz");

    private static Stream OpenExisting(string file) =>
        File.Exists(file) ? DatasetFiles.OpenContent(file) : throw new DatasetException(file, "missing dataset file");

    /// <summary>
    /// Header check plus a size check that needs no decompression: a raw file must be exactly header + payload;
    /// a gzip file's trailer (ISIZE, the uncompressed size mod 2^32) must match.
    /// </summary>
    private static IdxHeader ValidateFile(string file, int magic)
    {
        IdxHeader header;
        using (var content = DatasetFiles.OpenContent(file))
        {
            header = IdxHeader.Read(content, file, magic);
        }

        long expected = header.ByteCount + header.PayloadBytes;
        long length = new FileInfo(file).Length;
        if (!DatasetFiles.IsGzip(file))
        {
            if (length != expected)
            {
                throw new DatasetException(file, length < expected
                    ? $"truncated: {length} bytes, expected {expected}"
                    : $"{length} bytes, expected {expected} (unexpected data after the payload)");
            }

            return header;
        }

        using var stream = File.OpenRead(file);
        Span<byte> trailer = stackalloc byte[4];
        stream.Seek(-4, SeekOrigin.End);
        stream.ReadExactly(trailer);
        uint isize = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        if (isize != (uint)expected)
        {
            throw new DatasetException(file, $"gzip trailer says {isize} uncompressed bytes, the header implies {expected} (truncated or wrong file)");
        }

        return header;
    }
}
