using Grid.Analysis.Masks;
using Grid.Analysis.Tests.Support;

namespace Grid.Analysis.Tests.Masks;

public class EffectiveMasksTests
{
    // 4 inputs -> 3 hidden -> 2 -> 1, masks stored [nOut, nIn]
    private static readonly LayerMask First = LayerMask.FromRows([[0], [1, 2], []], 4);
    private static readonly LayerMask Second = LayerMask.FromRows([[0, 1], [2]], 3);
    private static readonly LayerMask Third = LayerMask.FromRows([[0, 1]], 2);

    [Fact]
    public void SecondLayerEffectiveMaskReachesThroughConnectedHiddenNodes()
    {
        LayerMask mu = EffectiveMasks.Next(First, Second);

        Assert.Equal(2, mu.Nodes);
        Assert.Equal(4, mu.Inputs);
        Assert.Equal(new byte[] { 1, 1, 1, 0, /* node 1 only reaches the empty hidden node 2 */ 0, 0, 0, 0 }, mu.Values.ToArray());
    }

    [Fact]
    public void ChainGivesEveryLayerFromTheInput()
    {
        IReadOnlyList<LayerMask> chain = EffectiveMasks.Chain([First, Second, Third]);

        Assert.Equal(3, chain.Count);
        Assert.Same(First, chain[0]);
        Assert.Equal(new byte[] { 1, 1, 1, 0 }, chain[2].Values.ToArray());
    }

    [Fact]
    public void MatchesThetaOfTheMatrixProduct()
    {
        var m1 = TestMasks.Random(70, 130, 0.03, 1);  // [n1, n0]
        var m2 = TestMasks.Random(20, 70, 0.05, 2);   // [n2, n1]

        LayerMask mu = EffectiveMasks.Next(m1, m2);

        for (int j = 0; j < 20; j++)
        {
            for (int i = 0; i < 130; i++)
            {
                int product = 0;
                for (int k = 0; k < 70; k++)
                {
                    product += (m2[j, k] ? 1 : 0) * (m1[k, i] ? 1 : 0);
                }
                Assert.Equal(product - 0.5 > 0, mu[j, i]);
            }
        }
    }

    [Fact]
    public void MismatchedLayersAreRejected()
    {
        Assert.Throws<ArgumentException>(() => EffectiveMasks.Next(First, Third));
    }
}
