using Grid.Analysis.Curves;

namespace Grid.Analysis.Tests.Curves;

public class AccuracyCurveTests
{
    private static readonly SeedRun[] Runs =
    [
        new(1, [new(0, 1.0, 0.10), new(1, 0.7, 0.12), new(2, 0.49, 0.11)]),
        new(2, [new(0, 1.0, 0.08), new(1, 0.7, 0.10)]),
    ];

    [Fact]
    public void AggregatesMeanStdAndGainPerIteration()
    {
        AccuracyCurve curve = AccuracyCurve.Aggregate("IMP", Runs);

        Assert.Equal([0, 1, 2], curve.Points.Select(p => p.Iteration));
        AccuracyCurvePoint first = curve.Points[1];
        Assert.Equal(0.7, first.UnprunedFraction, 12);
        Assert.Equal(0.11, first.AccuracyMean, 12);
        Assert.Equal(0.01, first.AccuracyStd, 12);
        Assert.Equal(0.02, first.GainMean, 12);
        Assert.Equal(0, first.GainStd, 12);
        Assert.Equal(2, first.Seeds);

        AccuracyCurvePoint last = curve.Points[2];
        Assert.Equal(1, last.Seeds);
        Assert.Equal(0.01, last.GainMean, 12);
        Assert.Equal(0, curve.Points[0].GainMean, 12);
        Assert.Equal(1, curve.Best().Iteration);
    }

    [Fact]
    public void RunWithoutIterationZeroIsRejected() =>
        Assert.Throws<ArgumentException>(() => AccuracyCurve.Aggregate("x", [new SeedRun(3, [new IterationAccuracy(1, 0.7, 0.1)])]));
}
