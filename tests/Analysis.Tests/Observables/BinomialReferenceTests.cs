using Grid.Analysis.Masks;
using Grid.Analysis.Observables;

namespace Grid.Analysis.Tests.Observables;

public class BinomialReferenceTests
{
    [Theory]
    [InlineData(3072, 0.04)]
    [InlineData(3072, 0.003)]
    [InlineData(10, 0.5)]
    public void PmfIsNormalisedWithTheBinomialMoments(int n, double u)
    {
        var reference = new BinomialReference(n, u);

        double total = 0, mean = 0, second = 0;
        for (int k = 0; k <= n; k++)
        {
            double p = reference.ProbabilityOf(k);
            total += p;
            mean += k * p;
            second += k * (double)k * p;
        }
        Assert.Equal(1, total, 9);
        Assert.Equal(n * u, mean, 6);
        Assert.Equal(n * u * (1 - u), second - mean * mean, 5);
        Assert.Equal(n * u, reference.Mean, 12);
        Assert.Equal(n * u * (1 - u), reference.Variance, 12);
    }

    [Theory]
    [InlineData(0.01, 1)]
    [InlineData(0.04, 2)]
    public void RandomMasksReproduceTheBinomialMeanAndVariance(double u, int seed)
    {
        const int nodes = 4000, inputs = 3072;
        var mask = RandomMasks.Bernoulli(nodes, inputs, u, new Random(seed));

        var histogram = ConnectivityHistogram.Build(Connectivity.InputConnectivity(mask), inputs, u);

        // standard errors: mean sqrt(var/N) ~ 0.09-0.17, variance var*sqrt(2/N) ~ 0.7-2.6
        Assert.InRange(histogram.ObservedMean, histogram.BinomialMean - 0.6, histogram.BinomialMean + 0.6);
        Assert.InRange(histogram.ObservedVariance / histogram.BinomialVariance, 0.9, 1.1);
        Assert.Equal(nodes, histogram.NodeCounts.Sum());
        Assert.Equal(nodes, histogram.BinomialExpectedCounts.Sum(), 3);
    }

    [Fact]
    public void HistogramBinsCoverTheObservedRange()
    {
        var histogram = ConnectivityHistogram.Build([0, 1, 1, 5, 9], 10, 0.5, binWidth: 2);

        Assert.Equal(2, histogram.BinWidth);
        Assert.Equal([0, 2, 4, 6, 8, 10], histogram.BinStarts);
        Assert.Equal([3, 0, 1, 0, 1, 0], histogram.NodeCounts);
        Assert.Equal(5 * (new BinomialReference(10, 0.5).ProbabilityOf(4) + new BinomialReference(10, 0.5).ProbabilityOf(5)),
            histogram.BinomialExpectedCounts[2], 12);
        Assert.Equal(16.0 / 5, histogram.ObservedMean, 12);
    }
}
