using Grid.Analysis.Masks;

namespace Grid.Analysis.Tests.Masks;

public class InputGeometryTests
{
    [Fact]
    public void IndicesAreChannelMajor()
    {
        var geometry = new InputGeometry(3, 32, 32);

        Assert.Equal(3072, geometry.InputCount);
        Assert.Equal(2 * 1024 + 5 * 32 + 7, geometry.IndexOf(2, 5, 7));
        Assert.Equal((2, 5, 7), geometry.PositionOf(2 * 1024 + 5 * 32 + 7));
    }

    [Fact]
    public void MaskWithOtherInputCountIsRejected()
    {
        var geometry = new InputGeometry(1, 4, 4);
        var mask = new LayerMask(2, 15, new byte[30]);

        Assert.Throws<ArgumentException>(() => geometry.EnsureMatches(mask));
    }

    [Fact]
    public void MaskNormalisesValuesAndCountsConnections()
    {
        var mask = new LayerMask(2, 3, new byte[] { 0, 7, 1, 0, 0, 255 });

        Assert.Equal(new byte[] { 0, 1, 1, 0, 0, 1 }, mask.Values.ToArray());
        Assert.Equal(3, mask.CountConnections());
        Assert.True(mask[1, 2]);
        Assert.False(mask[1, 0]);
    }
}
