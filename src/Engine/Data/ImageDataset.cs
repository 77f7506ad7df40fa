namespace Grid.Engine.Data;

/// <summary>
/// Images kept as uint8, channel-major per image (C, H, W), in chunks so that datasets larger than 2 GB
/// (ImageNet32 train is 3.9 GB) fit. Labels are 0-based class ids.
/// </summary>
public sealed class ImageDataset
{
    private readonly IReadOnlyList<byte[]> _chunks;
    private readonly int _imagesPerChunk;

    public ImageDataset(ImageShape shape, IReadOnlyList<byte[]> chunks, int imagesPerChunk, int[] labels, int classCount, string source)
    {
        Shape = shape;
        _chunks = chunks;
        _imagesPerChunk = imagesPerChunk;
        Labels = labels;
        ClassCount = classCount;
        Source = source;
        long capacity = chunks.Sum(c => (long)c.Length) / shape.Features;
        if (capacity < labels.Length)
        {
            throw new ArgumentException($"{source}: {labels.Length} labels but only {capacity} images");
        }
    }

    public ImageDataset(ImageShape shape, byte[] images, int[] labels, int classCount, string source)
        : this(shape, [images], Math.Max(1, labels.Length), labels, classCount, source)
    {
    }

    public ImageShape Shape { get; }
    public int[] Labels { get; }
    public int Count => Labels.Length;
    public int ClassCount { get; }

    /// <summary>File or directory the images came from, for error messages and reports.</summary>
    public string Source { get; }

    public ReadOnlySpan<byte> Image(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"dataset has {Count} images");
        }

        int chunk = index / _imagesPerChunk;
        int offset = index % _imagesPerChunk * Shape.Features;
        return _chunks[chunk].AsSpan(offset, Shape.Features);
    }

    /// <summary>The first <paramref name="count"/> images, sharing storage.</summary>
    public ImageDataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, Count);
        return new ImageDataset(Shape, _chunks, _imagesPerChunk, Labels[..count], ClassCount, Source);
    }

    /// <summary>Same images, new labels (task variants).</summary>
    public ImageDataset WithLabels(int[] labels, int classCount)
    {
        if (labels.Length != Count)
        {
            throw new ArgumentException($"expected {Count} labels, got {labels.Length}", nameof(labels));
        }

        return new ImageDataset(Shape, _chunks, _imagesPerChunk, labels, classCount, Source);
    }

    /// <summary>Per-pixel mean over all images, in 0..255 units.</summary>
    public float[] PixelMean()
    {
        var sum = new double[Shape.Features];
        for (int i = 0; i < Count; i++)
        {
            var image = Image(i);
            for (int f = 0; f < sum.Length; f++)
            {
                sum[f] += image[f];
            }
        }

        return [.. sum.Select(s => (float)(s / Math.Max(1, Count)))];
    }
}

public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Features => Channels * Height * Width;
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}

/// <summary>Training and validation images of one dataset, with the per-pixel mean used for normalisation.</summary>
public sealed record DatasetSplit(ImageDataset Train, ImageDataset Validation, float[] Mean);

/// <summary>A dataset file that is missing or malformed; the message names the file and the problem.</summary>
public class DatasetException(string file, string problem)
    : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}

/// <summary>
/// The dataset is not on this machine at all: no directory where it is looked for, or a directory without any of its
/// files. Unlike a <see cref="DatasetException"/> about files that are there but wrong, a sweep checked on a machine
/// that will not train it (a laptop preparing a cluster sweep) may go on with a warning.
/// </summary>
public sealed class DatasetAbsentException(string file, string problem, DatasetLocation location)
    : DatasetException(file, problem)
{
    public DatasetLocation Location { get; } = location;
}
