using Grid.Engine.Data;

namespace Grid.Engine.Tasks;

/// <summary>
/// Rotation of every image by θ degrees counter-clockwise (as displayed, rows downwards) about the image
/// centre ((W-1)/2, (H-1)/2), cropped back to H×W, nearest-neighbour sampling, the same for every channel.
/// For each destination pixel the centre is rotated back by -θ to a continuous source position; its nearest
/// pixel (round half up) is copied. A destination pixel is uncovered, and set to 0, exactly when that source
/// position lies outside the image, i.e. outside [-0.5, W-0.5) × [-0.5, H-0.5). 0° is the identity.
/// </summary>
public sealed class ImageRotation
{
    private readonly int[] _sourceOf;

    public ImageRotation(ImageShape shape, double degrees)
    {
        if (!double.IsFinite(degrees))
        {
            throw new ArgumentException($"task.rotation_degrees: {degrees} is not a finite angle", nameof(degrees));
        }

        Shape = shape;
        Degrees = degrees;
        int height = shape.Height, width = shape.Width;
        _sourceOf = new int[height * width];
        double radians = degrees * Math.PI / 180;
        double cos = Math.Cos(radians), sin = Math.Sin(radians);
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int row = 0; row < height; row++)
        {
            for (int col = 0; col < width; col++)
            {
                var (sourceRow, sourceCol) = SourcePosition(row, col, cx, cy, cos, sin);
                int r = (int)Math.Floor(sourceRow + 0.5);
                int c = (int)Math.Floor(sourceCol + 0.5);
                _sourceOf[row * width + col] = r >= 0 && r < height && c >= 0 && c < width ? r * width + c : -1;
            }
        }
    }

    public ImageShape Shape { get; }
    public double Degrees { get; }

    /// <summary>For each destination pixel (row-major within a channel) the source pixel, or -1 when uncovered.</summary>
    public IReadOnlyList<int> SourceOf => _sourceOf;

    public bool IsCovered(int row, int col) => _sourceOf[row * Shape.Width + col] >= 0;

    /// <summary>
    /// The continuous source position (row, col) of destination pixel (row, col): with y pointing up,
    /// (u, v) = (col - cx, cy - row) is rotated by -θ.
    /// </summary>
    public static (double Row, double Col) SourcePosition(int row, int col, double cx, double cy, double cos, double sin)
    {
        double u = col - cx, v = cy - row;
        double sourceU = u * cos + v * sin;
        double sourceV = -u * sin + v * cos;
        return (cy - sourceV, cx + sourceU);
    }

    public void Apply(ReadOnlySpan<byte> image, Span<byte> rotated)
    {
        int plane = Shape.Height * Shape.Width;
        if (image.Length != Shape.Features || rotated.Length != Shape.Features)
        {
            throw new ArgumentException($"expected {Shape} images of {Shape.Features} bytes");
        }

        for (int channel = 0; channel < Shape.Channels; channel++)
        {
            var source = image.Slice(channel * plane, plane);
            var destination = rotated.Slice(channel * plane, plane);
            for (int p = 0; p < plane; p++)
            {
                int s = _sourceOf[p];
                destination[p] = s >= 0 ? source[s] : (byte)0;
            }
        }
    }

    /// <summary>
    /// The per-pixel mean image rotated the same way (uncovered pixels 0): since rotation is a per-pixel gather,
    /// this is exactly the mean of the rotated images.
    /// </summary>
    public float[] Apply(float[] meanImage)
    {
        int plane = Shape.Height * Shape.Width;
        var rotated = new float[meanImage.Length];
        for (int channel = 0; channel < Shape.Channels; channel++)
        {
            for (int p = 0; p < plane; p++)
            {
                int s = _sourceOf[p];
                rotated[channel * plane + p] = s >= 0 ? meanImage[channel * plane + s] : 0f;
            }
        }

        return rotated;
    }

    /// <summary>A new dataset of the rotated images (uint8 → uint8), same labels, in parallel over images.</summary>
    public ImageDataset Apply(ImageDataset dataset)
    {
        if (dataset.Shape != Shape)
        {
            throw new ArgumentException($"{dataset.Source}: images are {dataset.Shape}, the rotation is for {Shape}", nameof(dataset));
        }

        int features = Shape.Features;
        int perChunk = ChunkedImageBuilder.ImagesPerChunkFor(Shape, Math.Max(1, dataset.Count));
        int chunkCount = (dataset.Count + perChunk - 1) / perChunk;
        var chunks = new byte[chunkCount][];
        for (int k = 0; k < chunkCount; k++)
        {
            chunks[k] = GC.AllocateUninitializedArray<byte>(Math.Min(perChunk, dataset.Count - k * perChunk) * features);
        }

        Parallel.For(0, dataset.Count, i =>
            Apply(dataset.Image(i), chunks[i / perChunk].AsSpan(i % perChunk * features, features)));
        return new ImageDataset(Shape, chunks, perChunk, dataset.Labels, dataset.ClassCount, dataset.Source);
    }
}
