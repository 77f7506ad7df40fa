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
        Assert.StartsWith("sparse: ", outcome.Output);
        Assert.Contains("--steps N", outcome.Output);
        Assert.Contains("--iterations N", outcome.Output);
        Assert.DoesNotContain("host:", outcome.Output);
        Assert.Equal("", outcome.Errors);
    }

    [Fact]
    public async Task UnknownOptionExitsTwoNamingItThenTheUsage()
    {
        var outcome = await BenchProcess.RunAsync("sparse", "--stpes", "3");

        Assert.True(outcome.ExitCode == BenchCli.UsageError, outcome.ToString());
        string[] lines = outcome.Errors.Split('\n');
        Assert.StartsWith("sparse: unknown option --stpes (options: --steps,", lines[0]);
        Assert.StartsWith("usage: ", lines[1]);
        Assert.Equal("", outcome.Output);
    }

    [Fact]
    public async Task BadValueExitsTwoNamingTheOption()
    {
        var outcome = await BenchProcess.RunAsync("bundle", "--threads", "1,x");

        Assert.True(outcome.ExitCode == BenchCli.UsageError, outcome.ToString());
        Assert.StartsWith("bundle: --threads: 'x' is not an integer", outcome.Errors);
        Assert.DoesNotContain("   at ", outcome.Errors); // no stack trace
        Assert.Equal("", outcome.Output);
    }

    [Fact]
    public async Task NoArgumentsListsTheBenchmarksAndAnUnknownOneExitsTwo()
    {
        var list = await BenchProcess.RunAsync();
        var unknown = await BenchProcess.RunAsync("sparce");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.All(BenchCommands.All, command => Assert.Contains($"  {command.Name} ", list.Output));
        Assert.True(unknown.ExitCode == BenchCli.UsageError, unknown.ToString());
        Assert.StartsWith("unknown benchmark 'sparce'", unknown.Errors);
        Assert.Contains("  sparse ", unknown.Errors);
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

            Assert.True(absent.ExitCode == BenchCli.UsageError, absent.ToString());
            Assert.StartsWith($"engine-run: spec.json: {missing} does not exist", absent.Errors);
            Assert.True(unreadable.ExitCode == BenchCli.UsageError, unreadable.ToString());
            Assert.StartsWith($"engine-run: spec.json: {broken} is not a run spec", unreadable.Errors);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
