using System.Numerics;

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
        var sums = new double[target.Features];
        for (int i = 0; i < images.Count; i++)
        {
            Block(images.Image(i), images.Shape, factor, buffer, sums);
            builder.Add(buffer);
        }

        return builder.Build(images.Labels, images.ClassCount, images.Source);
    }

    /// <summary>The per-pixel mean of the downsampled images, from the full-resolution mean (block average).</summary>
    public static float[] Mean(float[] mean, ImageShape shape, int factor)
    {
        var sums = new double[Shape(shape, factor, "mean").Features];
        BlockSums<float>(mean, shape, factor, sums);
        return [.. sums.Select(sum => (float)(sum / (factor * factor)))];
    }

    private static void Block(ReadOnlySpan<byte> image, ImageShape shape, int factor, Span<byte> output, Span<double> sums)
    {
        BlockSums(image, shape, factor, sums);
        int area = factor * factor;
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = (byte)(((int)sums[i] * 2 + area) / (2 * area)); // nearest integer, halves up
        }
    }

    /// <summary>Sum of each factor x factor block of each channel, channel-major like the images.</summary>
    private static void BlockSums<T>(ReadOnlySpan<T> image, ImageShape shape, int factor, Span<double> sums)
        where T : INumber<T>
    {
        int height = shape.Height / factor;
        int width = shape.Width / factor;
        sums.Clear();
        for (int c = 0; c < shape.Channels; c++)
        {
            for (int row = 0; row < shape.Height; row++)
            {
                var source = image.Slice((c * shape.Height + row) * shape.Width, shape.Width);
                var target = sums.Slice((c * height + row / factor) * width, width);
                for (int column = 0; column < shape.Width; column++)
                {
                    target[column / factor] += double.CreateTruncating(source[column]);
                }
            }
        }
    }
}
