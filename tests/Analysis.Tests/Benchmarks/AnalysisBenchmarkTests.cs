using Grid.Analysis.Benchmarks;
using Grid.Analysis.Masks;

namespace Grid.Analysis.Tests.Benchmarks;

public class AnalysisBenchmarkTests
{
    [Fact]
    public void SmallRunPrintsTheMedian()
    {
        var output = new StringWriter();

        AnalysisBenchmark.Run(output, nodes: 16, geometry: new InputGeometry(1, 8, 8), unprunedFraction: 0.1, repetitions: 3);

        Assert.Contains("median of 3", output.ToString());
    }
}
