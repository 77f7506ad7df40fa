using Grid.Analysis.Locality;
using Grid.Analysis.Masks;
using Grid.Analysis.Observables;
using Grid.Analysis.Tests.Support;

namespace Grid.Analysis.Tests.Locality;

public class DegreePreservingShuffleTests
{
    [Fact]
    public void KeepsEveryRowAndColumnSumAndChangesTheMask()
    {
        var mask = TestMasks.Random(60, 300, 0.08, 4);

        LayerMask shuffled = DegreePreservingShuffle.Shuffle(mask, new Random(1));

        Assert.Equal(Connectivity.InputConnectivity(mask), Connectivity.InputConnectivity(shuffled));
        Assert.Equal(Connectivity.OutputConnectivityOfInputs(mask), Connectivity.OutputConnectivityOfInputs(shuffled));
        Assert.False(mask.ContentEquals(shuffled));
        long unchanged = Enumerable.Range(0, mask.Values.Length).Count(k => mask.Values[k] == 1 && shuffled.Values[k] == 1);
        Assert.True(unchanged < mask.CountConnections() / 2, $"{unchanged} of {mask.CountConnections()} connections stayed in place");
    }

    [Fact]
    public void UnusedInputsStayUnused()
    {
        // inputs 0..9 are never connected (an "empty border"); the shuffle must not move connections there
        var random = new Random(5);
        var rows = Enumerable.Range(0, 30)
            .Select(_ => (IReadOnlyCollection<int>)Enumerable.Range(10, 40).Where(_ => random.NextDouble() < 0.3).ToArray())
            .ToArray();
        var mask = LayerMask.FromRows(rows, 50);

        LayerMask shuffled = DegreePreservingShuffle.Shuffle(mask, new Random(2));

        Assert.All(Connectivity.OutputConnectivityOfInputs(shuffled).Take(10), c => Assert.Equal(0, c));
    }

    [Fact]
    public void SameSeedGivesTheSameShuffle()
    {
        var mask = TestMasks.Random(20, 100, 0.1, 6);

        Assert.True(DegreePreservingShuffle.Shuffle(mask, new Random(3)).ContentEquals(DegreePreservingShuffle.Shuffle(mask, new Random(3))));
    }
}
