using Grid.Bench;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>The command lines the benchmarks took before their options were declared still pass, with the same values.</summary>
public class AcceptedCommandLineTests
{
    [Theory]
    // README.md, docs/throughput.md, docs/grid-overhead.md and scripts/bench-grid-overhead
    [InlineData("engine")]
    [InlineData("analysis")]
    [InlineData("engine-run results/sweep/runs/run/spec.json")]
    [InlineData("bundle")]
    [InlineData("bundle-parts")]
    [InlineData("sparse")]
    [InlineData("sparse-parts")]
    [InlineData("contention")]
    [InlineData("sparse --packed-ab")]
    [InlineData("sparse --only fashion")]
    [InlineData("sparse --only fashion --u 0.0047 --auto-only --steps 400")]
    // what contention gives its timed and competing trainers
    [InlineData("contention-train --steps 2000 --threads adaptive")]
    [InlineData("contention-train --steps 500 --threads fixed --forever")]
    // every option of the usage Program.cs printed before
    [InlineData("engine --device cpu --steps 20 --only paper")]
    [InlineData("engine --device auto --only fashion")]
    [InlineData("sparse --steps 5 --iterations 18 --only paper --u 0.01")]
    [InlineData("sparse --packed-ab --u 0.343 --rounds 20")]
    [InlineData("sparse-parts --u 0.01,0.1,0.343 --threads 1,2 --outputs 1024 --inputs 1024 --batch 1000 --rounds 7 --repetitions 10 --block 64")]
    [InlineData("bundle --only small --k 8 --steps 200 --repetitions 5 --threads 1,2")]
    [InlineData("bundle --hidden 128,128,128 --inputs 784 --classes 10 --batch 100 --k 8")]
    [InlineData("bundle-parts --only paper --threads 1,2")]
    [InlineData("contention --steps 2000 --pairs 3 --competitor busy,trainer --policy grid,libtorch --spin 0 --threads fixed")]
    public void TakesTheCommandLine(string line)
    {
        var (command, args) = CommandLine.Split(line);

        var options = BenchArgs.Parse(command, args);

        Assert.All(args.Where(a => a.StartsWith("--", StringComparison.Ordinal)), name => Assert.True(options.IsGiven(name), name));
    }

    [Fact]
    public void EngineRunTakesThePathOfASpec()
    {
        var (command, args) = CommandLine.Split("engine-run results/sweep/runs/run/spec.json");

        Assert.Equal("results/sweep/runs/run/spec.json", BenchArgs.Parse(command, args).Argument);
    }

    [Fact]
    public void ReadsTheValuesGivenAndTheFallbacksOfTheRest()
    {
        var (command, args) = CommandLine.Split("sparse-parts --u 0.5,1 --threads 3 --block 16");

        var options = BenchArgs.Parse(command, args);

        Assert.Equal([0.5, 1.0], options.Doubles("--u", [0.01]));
        Assert.Equal([3], options.Ints("--threads", [1, 2]));
        Assert.Equal(16, options.Int("--block", 64));
        Assert.Equal(7, options.Int("--rounds", 7));
    }

    [Fact]
    public void ReadsChoicesFlagsAndOneDensity()
    {
        var (sparse, sparseArgs) = CommandLine.Split("sparse --only fashion --u 0.0047 --auto-only");
        var (contention, contentionArgs) = CommandLine.Split("contention --competitor trainer --spin 0");

        var sparseOptions = BenchArgs.Parse(sparse, sparseArgs);
        var contentionOptions = BenchArgs.Parse(contention, contentionArgs);

        Assert.Equal("fashion", sparseOptions.Text("--only"));
        Assert.Equal(0.0047, sparseOptions.Double("--u"));
        Assert.True(sparseOptions.Flag("--auto-only"));
        Assert.False(sparseOptions.Flag("--packed-ab"));
        Assert.Equal(["trainer"], contentionOptions.Texts("--competitor", ["busy", "trainer"]));
        Assert.Equal(0, contentionOptions.Int("--spin"));
        Assert.Null(contentionOptions.Text("--threads"));
    }

    [Fact]
    public void ReadingAnOptionTheCommandDoesNotDeclareIsABug()
    {
        var (command, args) = CommandLine.Split("sparse --steps 3");
        var options = BenchArgs.Parse(command, args);

        var undeclared = Assert.Throws<InvalidOperationException>(() => options.Int("--stpes", 5));
        var wrongKind = Assert.Throws<InvalidOperationException>(() => options.Ints("--steps", [5]));

        Assert.Contains("--stpes", undeclared.Message);
        Assert.Contains("--steps", wrongKind.Message);
    }
}
