using Grid.Analysis.Masks;

namespace Grid.Analysis.Tests.Masks;

public class RandomMasksTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(17L)]
    [InlineData(600L)]
    [InlineData(1000L)]
    public void FixedCountKeepsExactlyThatManyWeights(long kept)
    {
        var mask = RandomMasks.FixedCount(20, 50, kept, new Random(3));

        Assert.Equal(kept, mask.CountConnections());
    }

    [Fact]
    public void SameSeedGivesTheSameMask()
    {
        Assert.True(RandomMasks.Bernoulli(10, 40, 0.2, new Random(9)).ContentEquals(RandomMasks.Bernoulli(10, 40, 0.2, new Random(9))));
    }
}
