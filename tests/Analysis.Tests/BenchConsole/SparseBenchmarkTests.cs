using System.Globalization;
using System.Text.RegularExpressions;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>`sparse` as a process on the quickstart network, a short schedule: the schedule's ratio, and its bound from
/// the pruned layers' products measured inside the dense step.</summary>
public partial class SparseBenchmarkTests
{
    [Fact]
    public async Task A_short_schedule_prints_its_ratio_and_the_bound_with_products_at_dense_rate()
    {
        var outcome = await BenchProcess.RunAsync("sparse", "--only", "quickstart", "--iterations", "3", "--steps", "1");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        string[] lines = outcome.Output.Split('\n');
        Assert.Single(lines, l => l.StartsWith("quickstart: IMP schedule u = 0.7^n, n = 0..2: ", StringComparison.Ordinal));
        var parts = PartsLine().Match(Assert.Single(lines, l => l.StartsWith("quickstart: the pruned layers' products take ", StringComparison.Ordinal)));
        Assert.True(parts.Success, outcome.ToString());
        double products = Number(parts.Groups["products"]), dense = Number(parts.Groups["dense"]);
        Assert.InRange(products, double.Epsilon, dense);
        Assert.Equal("1.00", parts.Groups["sparsest"].Value); // u = 1 %, the sparsest point measured
        var bound = BoundLine().Match(Assert.Single(lines, l => l.StartsWith("quickstart: bound: ", StringComparison.Ordinal)));
        Assert.True(bound.Success, outcome.ToString());
        Assert.InRange(Number(bound.Groups["ratio"]), 0.0, 1.0); // each step takes the cheaper of dense and sparse
        Assert.DoesNotContain("the goal", bound.Value); // the quickstart network has no goals
    }

    private static double Number(Group group) => double.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^quickstart: the pruned layers' products take (?<products>[0-9.]+) of the dense step's (?<dense>[0-9.]+) ms; every other cost of a sparse step [0-9.]+ ms \(from u = (?<sparsest>[0-9.]+) %\)")]
    private static partial Regex PartsLine();

    [GeneratedRegex(@"^quickstart: bound: with sparse products as fast per weight as dense BLAS the schedule would cost x(?<ratio>[0-9.]+) of all-dense; the engine's kernels reach ([0-9,.]+ % at u = 10 %|an unmeasurable rate at u = 10 %)")]
    private static partial Regex BoundLine();
}
