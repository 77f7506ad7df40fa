namespace Grid.Engine.Data;

/// <summary>
/// Lower-resolution copies of a dataset by block averaging: each factor x factor block of pixels of each channel
/// becomes one pixel holding their mean, rounded to the nearest integer (halves away from zero). ImageNet32 is made
/// from ImageNet the same way as ImageNet64, so Fashion-MNIST at 28x28 against 14x14 is the CPU-scale twin of the
/// paper's resolution contrast.
/// </summary>
public static class ImageDownsampling
{
    /// <summary>The shape after downsampling; a factor that does not divide both sides is a <see cref="DatasetException"/>.</summary>
    public static ImageShape Shape(ImageShape shape, int factor, string source)
    {
        if (factor < 1 || shape.Height % factor != 0 || shape.Width % factor != 0)
        {
            throw new DatasetException(source, $"dataset.downsample {factor} does not divide the {shape.Height}x{shape.Width} images");
        }

        return new ImageShape(shape.Channels, shape.Height / factor, shape.Width / factor);
    }

    public static DatasetSplit Apply(DatasetSplit split, int factor) =>
        factor == 1 ? split : new DatasetSplit(Apply(split.Train, factor), Apply(split.Validation, factor), Mean(split.Mean, split.Train.Shape, factor));

    public static ImageDataset Apply(ImageDataset images, int factor)
    {
        var target = Shape(images.Shape, factor, images.Source);
        var builder = new ChunkedImageBuilder(target, ChunkedImageBuilder.ImagesPerChunkFor(target, Math.Max(1, images.Count)));
        var buffer = new byte[target.Features];
        for (int i = 0; i < images.Count; i++)
        {
            Block(images.Image(i), images.Shape, factor, buffer);
            builder.Add(buffer);
        }

        return builder.Build(images.Labels, images.ClassCount, images.Source);
    }

    /// <summary>The per-pixel mean of the downsampled images, from the full-resolution mean (block average).</summary>
    public static float[] Mean(float[] mean, ImageShape shape, int factor)
    {
        var target = Shape(shape, factor, "mean");
        var result = new float[target.Features];
        for (int c = 0; c < shape.Channels; c++)
        {
            for (int y = 0; y < target.Height; y++)
            {
                for (int x = 0; x < target.Width; x++)
                {
                    double sum = 0;
                    for (int dy = 0; dy < factor; dy++)
                    {
                        for (int dx = 0; dx < factor; dx++)
                        {
                            sum += mean[(c * shape.Height + y * factor + dy) * shape.Width + x * factor + dx];
                        }
                    }

                    result[(c * target.Height + y) * target.Width + x] = (float)(sum / (factor * factor));
                }
            }
        }

        return result;
    }

    private static void Block(ReadOnlySpan<byte> image, ImageShape shape, int factor, Span<byte> output)
    {
        int height = shape.Height / factor;
        int width = shape.Width / factor;
        int area = factor * factor;
        for (int c = 0; c < shape.Channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++)
                    {
                        int row = (c * shape.Height + y * factor + dy) * shape.Width + x * factor;
                        for (int dx = 0; dx < factor; dx++)
                        {
                            sum += image[row + dx];
                        }
                    }

                    output[(c * height + y) * width + x] = (byte)((2 * sum + area) / (2 * area));
                }
            }
        }
    }
}
