using Grid.Bench;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>
/// Grid.Bench run as a process: help and refused command lines end at once with their exit codes, and nothing runs (a
/// benchmark's first line, "host: ..." or "layer ...", never appears; one that started would be killed at the bound).
/// </summary>
public class BenchConsoleProcessTests
{
    [Fact]
    public async Task CommandHelpPrintsItsOptionsAndRunsNothing()
    {
        var outcome = await BenchProcess.RunAsync("sparse", "--help");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.StartsWith("DESCRIPTION:", outcome.Output);
        Assert.Contains("--steps <N>", outcome.Output);
        Assert.Contains("--iterations <N>", outcome.Output);
        Assert.Contains("-u <U>", outcome.Output);
        Assert.DoesNotContain("host:", outcome.Output);
        Assert.Equal("", outcome.Errors);
    }

    [Fact]
    public async Task UnknownOptionExitsTwoNamingItThenWhereTheOptionsAre()
    {
        var outcome = await BenchProcess.RunAsync("sparse", "--stpes", "3");

        Assert.True(outcome.ExitCode == BenchApp.UsageError, outcome.ToString());
        string[] lines = outcome.Errors.Split('\n');
        Assert.Equal("sparse: unknown option --stpes (did you mean --steps?)", lines[0]);
        Assert.Equal($"`{BenchApp.Invocation} sparse --help` lists its options.", lines[1]);
        Assert.Equal("", outcome.Output);
    }

    [Fact]
    public async Task BadValueExitsTwoNamingTheOption()
    {
        var outcome = await BenchProcess.RunAsync("bundle", "--threads", "1,x");
        var density = await BenchProcess.RunAsync("sparse", "--u", "2");

        Assert.True(outcome.ExitCode == BenchApp.UsageError, outcome.ToString());
        Assert.StartsWith("bundle: --threads: 'x' is not an integer", outcome.Errors);
        Assert.DoesNotContain("   at ", outcome.Errors); // no stack trace
        Assert.Equal("", outcome.Output);
        Assert.True(density.ExitCode == BenchApp.UsageError, density.ToString());
        Assert.StartsWith("sparse: -u: a density is in (0, 1], not 2", density.Errors);
    }

    [Fact]
    public async Task NoArgumentsListsTheBenchmarksAndAnUnknownOneExitsTwo()
    {
        var list = await BenchProcess.RunAsync();
        var unknown = await BenchProcess.RunAsync("sparce");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.All(BenchApp.Commands.Keys, name => Assert.Contains($"    {name} ", list.Output));
        Assert.True(unknown.ExitCode == BenchApp.UsageError, unknown.ToString());
        Assert.StartsWith("Unknown command 'sparce'.", unknown.Errors);
        Assert.Contains("Did you mean sparse?", unknown.Errors);
    }

    [Fact]
    public async Task EngineRunNamesASpecItCannotRead()
    {
        string directory = Directory.CreateTempSubdirectory("grid-bench-tests-").FullName;
        try
        {
            string missing = Path.Combine(directory, "missing.json"), broken = Path.Combine(directory, "spec.json");
            await File.WriteAllTextAsync(broken, "{ \"seed\": ");

            var absent = await BenchProcess.RunAsync("engine-run", missing);
            var unreadable = await BenchProcess.RunAsync("engine-run", broken);

            Assert.True(absent.ExitCode == BenchApp.UsageError, absent.ToString());
            Assert.StartsWith($"engine-run: spec.json: {missing} does not exist", absent.Errors);
            Assert.True(unreadable.ExitCode == BenchApp.UsageError, unreadable.ToString());
            Assert.StartsWith($"engine-run: spec.json: {broken} is not a run spec", unreadable.Errors);
            Assert.DoesNotContain("   at ", unreadable.Errors);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
