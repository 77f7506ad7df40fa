using Grid.Engine.Data;
using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Data;

public sealed class PixelNormalisationTests
{
    [Theory]
    [InlineData(3072)]
    [InlineData(784)]
    [InlineData(37)] // a vector pass and a tail
    [InlineData(5)] // the tail alone
    public void OnePassGivesLibtorchsBits(int features)
    {
        TorchRuntime.EnsureLoaded();
        var random = new Random(features);
        var pixels = new byte[4 * features];
        random.NextBytes(pixels);
        pixels[0] = 0;
        pixels[1] = 255;
        var mean = Enumerable.Range(0, features).Select(_ => (float)(random.NextDouble() * 255)).ToArray();
        var rows = new float[pixels.Length];
        for (int r = 0; r < 4; r++)
        {
            PixelNormalisation.Normalise(pixels.AsSpan(r * features, features), mean, rows.AsSpan(r * features, features));
        }

        using var raw = tensor(pixels, [4, features]);
        using var meanTensor = tensor(mean, [features]);
        using var expected = PixelNormalisation.Tensors(raw, meanTensor);

        Assert.Equal(expected.data<float>().ToArray(), rows);
    }

    [Fact]
    public void SpansOfDifferentLengthsAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => PixelNormalisation.Normalise(new byte[8], new float[7], new float[8]));

        Assert.Contains("8 pixels, 7 means and 8 targets", error.Message);
    }
}
