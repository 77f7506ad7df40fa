using Grid.Analysis.Masks;
using Grid.Analysis.Pictures;

namespace Grid.Analysis.Tests.Pictures;

public class NodeImagesTests
{
    [Fact]
    public void ChannelsBecomeColours()
    {
        var geometry = new InputGeometry(3, 1, 2);
        // pixel 0: red and blue; pixel 1: green
        var mask = LayerMask.FromRows([[geometry.IndexOf(0, 0, 0), geometry.IndexOf(2, 0, 0), geometry.IndexOf(1, 0, 1)]], geometry.InputCount);

        RgbImage image = NodeImages.Mask(mask, 0, geometry);

        Assert.Equal(new byte[] { 255, 0, 255, 0, 255, 0 }, image.Rgb);
    }

    [Fact]
    public void MaskedWeightsAreScaledFromMinimumToMaximum()
    {
        var geometry = new InputGeometry(1, 1, 4);
        float[] weights = [-2f, 2f, 5f, 0.5f];
        byte[] mask = [1, 1, 0, 1];

        RgbImage image = NodeImages.MaskedWeights(weights, mask, geometry);

        // w*m = -2, 2, 0, 0.5 -> (v + 2) / 4
        Assert.Equal(new byte[] { 0, 255, 128, 159 }, image.Rgb.Where((_, k) => k % 3 == 0).ToArray());
        Assert.Equal(image.Rgb[0], image.Rgb[1]);
    }
}
