using Grid.Engine.Data;
using Grid.Engine.Tasks;

namespace Grid.Engine.Tests.Tasks;

public sealed class ImageRotationTests
{
    /// <summary>Every pixel non-zero, so a zero in the output can only be an uncovered pixel.</summary>
    private static byte[] NonZeroImage(ImageShape shape) =>
        [.. Enumerable.Range(0, shape.Features).Select(f => (byte)(1 + f % 255))];

    private static byte[] Rotate(ImageShape shape, double degrees, byte[] image)
    {
        var rotated = new byte[shape.Features];
        new ImageRotation(shape, degrees).Apply(image, rotated);
        return rotated;
    }

    [Fact]
    public void ZeroDegreesIsTheIdentity()
    {
        var shape = new ImageShape(3, 5, 7);
        var image = NonZeroImage(shape);

        Assert.Equal(image, Rotate(shape, 0, image));
    }

    [Fact]
    public void NinetyDegreesTurnsCounterClockwise()
    {
        var shape = new ImageShape(1, 4, 4);
        var image = NonZeroImage(shape);

        var rotated = Rotate(shape, 90, image);

        // counter-clockwise: the top-right corner goes to the top-left, the right column becomes the top row
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                Assert.Equal(image[c * 4 + (3 - r)], rotated[r * 4 + c]);
            }
        }
    }

    [Theory]
    [InlineData(20, 28, 28, 1)]
    [InlineData(20, 8, 8, 3)]
    [InlineData(-35, 9, 6, 2)]
    public void ZeroesExactlyThePixelsWhoseSourceLiesOutsideTheImage(double degrees, int height, int width, int channels)
    {
        var shape = new ImageShape(channels, height, width);
        var image = NonZeroImage(shape);

        var rotated = Rotate(shape, degrees, image);

        double t = degrees * Math.PI / 180, cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        int uncovered = 0;
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                // rotate the displacement from the centre (x right, y down) clockwise on screen by t
                double dx = c - cx, dy = r - cy;
                double sx = cx + dx * Math.Cos(t) - dy * Math.Sin(t);
                double sy = cy + dx * Math.Sin(t) + dy * Math.Cos(t);
                bool covered = sx >= -0.5 && sx < width - 0.5 && sy >= -0.5 && sy < height - 0.5;
                uncovered += covered ? 0 : 1;
                for (int ch = 0; ch < channels; ch++)
                {
                    byte value = rotated[ch * height * width + r * width + c];
                    if (covered)
                    {
                        int source = (int)Math.Floor(sy + 0.5) * width + (int)Math.Floor(sx + 0.5);
                        Assert.Equal(image[ch * height * width + source], value);
                    }
                    else
                    {
                        Assert.Equal(0, value);
                    }
                }
            }
        }

        Assert.True(uncovered > 0);
        Assert.Equal(0, rotated[0]);
    }

    [Fact]
    public void DatasetAndMeanAreRotatedTogether()
    {
        var shape = new ImageShape(1, 6, 6);
        var images = Enumerable.Range(0, 3).SelectMany(i => NonZeroImage(shape).Select(b => (byte)(b + i))).ToArray();
        var dataset = new ImageDataset(shape, images, [0, 1, 2], 3, "synthetic");
        var rotation = new ImageRotation(shape, 20);

        var rotated = rotation.Apply(dataset);
        var mean = rotation.Apply(dataset.PixelMean());

        Assert.Equal(dataset.Labels, rotated.Labels);
        Assert.Equal(Rotate(shape, 20, dataset.Image(2).ToArray()), rotated.Image(2).ToArray());
        var expected = rotated.PixelMean();
        for (int f = 0; f < shape.Features; f++)
        {
            Assert.Equal(expected[f], mean[f], 4);
        }
    }
}
