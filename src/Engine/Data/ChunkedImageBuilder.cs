namespace Grid.Engine.Data;

/// <summary>
/// Accumulates uint8 images into equally sized chunks for <see cref="ImageDataset"/>, so datasets larger than
/// one .NET array (ImageNet32 train is 3.9 GB) fit. A whole chunk's worth of images arriving at a chunk
/// boundary is adopted without copying (one chunk per batch file when the batch files are equally sized).
/// </summary>
internal sealed class ChunkedImageBuilder
{
    private readonly List<byte[]> _chunks = [];
    private readonly int _chunkBytes;
    private int _usedInLast;

    public ChunkedImageBuilder(ImageShape shape, int imagesPerChunk)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imagesPerChunk, 1);
        if ((long)imagesPerChunk * shape.Features > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(imagesPerChunk), imagesPerChunk, $"chunks of {shape} images exceed the largest array");
        }

        Shape = shape;
        ImagesPerChunk = imagesPerChunk;
        _chunkBytes = imagesPerChunk * shape.Features;
        _usedInLast = _chunkBytes;
    }

    public ImageShape Shape { get; }
    public int ImagesPerChunk { get; }
    public long Count { get; private set; }

    /// <summary>A chunk size (in images) of about <paramref name="targetBytes"/> bytes, at most <paramref name="total"/>.</summary>
    public static int ImagesPerChunkFor(ImageShape shape, long total, long targetBytes = 256L << 20) =>
        (int)Math.Clamp(Math.Min(total, targetBytes / shape.Features), 1, Array.MaxLength / shape.Features);

    /// <summary>Appends images (channel-major, contiguous); the array may be adopted as a chunk and must not be changed afterwards.</summary>
    public void Add(byte[] images, int count)
    {
        if (count == ImagesPerChunk && _usedInLast == _chunkBytes && images.Length == _chunkBytes)
        {
            _chunks.Add(images);
            Count += count;
            return;
        }

        Add(images.AsSpan(0, checked(count * Shape.Features)));
    }

    public void Add(ReadOnlySpan<byte> images)
    {
        if (images.Length % Shape.Features != 0)
        {
            throw new ArgumentException($"{images.Length} bytes is not a whole number of {Shape} images", nameof(images));
        }

        Count += images.Length / Shape.Features;
        while (!images.IsEmpty)
        {
            if (_usedInLast == _chunkBytes)
            {
                _chunks.Add(GC.AllocateUninitializedArray<byte>(_chunkBytes));
                _usedInLast = 0;
            }

            int take = Math.Min(images.Length, _chunkBytes - _usedInLast);
            images[..take].CopyTo(_chunks[^1].AsSpan(_usedInLast));
            _usedInLast += take;
            images = images[take..];
        }
    }

    public ImageDataset Build(int[] labels, int classCount, string source)
    {
        if (labels.Length != Count)
        {
            throw new InvalidOperationException($"{source}: {Count} images but {labels.Length} labels");
        }

        if (_chunks.Count > 0 && _usedInLast < _chunkBytes)
        {
            _chunks[^1] = _chunks[^1].AsSpan(0, _usedInLast).ToArray();
            _usedInLast = _chunkBytes;
        }

        return new ImageDataset(Shape, [.. _chunks], ImagesPerChunk, labels, classCount, source);
    }
}
