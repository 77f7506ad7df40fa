using Grid.Client;
using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;

namespace Grid.Tests.Cli;

/// <summary>`grid store` and `grid store migrate` through the command line, on results written by the engine.</summary>
public sealed class StoreCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("grid-store-cli-");

    private string Results => Path.Combine(_directory.Path, "results");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_legacy_sweep_is_shown_migrated_and_then_counted_in_the_store()
    {
        var legacy = LegacySweeps.Create(Results, LegacySweeps.Tiny("quickstart"));

        var (code, output) = await CliTests.RunAsync("store", "--results", Results);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("No run store in", output);
        Assert.Contains("1 written before the run store", output);
        Assert.Contains(legacy.Directory, output);
        Assert.Contains($"grid store migrate --results {Results}", output);

        var before = _directory.Snapshot();
        (code, output) = await CliTests.RunAsync("store", "migrate", "--dry-run", "--results", Results);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"quickstart-{legacy.Hash[..4]}…: 1 run, 2 iterations to import, 0 already stored", output);
        Assert.Contains("Nothing was written", output);
        Assert.Equal(before, _directory.Snapshot());

        (code, output) = await CliTests.RunAsync("store", "migrate", "--results", Results);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"quickstart-{legacy.Hash[..4]}…: 1 run, 2 iterations imported, 0 already stored", output);
        Assert.Contains("1 sweep now takes its runs' iterations from the run store", output);
        Assert.True(new SweepStore(Results).Find(legacy.Hash)!.UsesRunStore);

        (code, output) = await CliTests.RunAsync("store", "status", "--results", Results);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches(@"trunks\s+1 ", output);
        Assert.Matches(@"lines\s+1 ", output);
        Assert.Matches(@"stored iterations\s+2 \(1 dense, 1 pruned\)", output);
        Assert.Contains("0 iterations trained (0s), 0 masks cut, 2 imported", output);
        Assert.Contains("1 sweep, it uses the run store.", output);

        (code, output) = await CliTests.RunAsync("store", "migrate", "--results", Results);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("nothing to migrate", output);
        Assert.Equal(2, RunStore.Of(Results).ReadJournal().Count(e => e.Event == StoreEvent.Imported));
    }

    [Theory]
    [InlineData("store")]
    [InlineData("store", "migrate")]
    [InlineData("store", "migrate", "--dry-run")]
    public async Task A_results_root_that_does_not_exist_is_a_clear_error(params string[] command)
    {
        string missing = Path.Combine(_directory.Path, "nowhere");

        var (code, output) = await CliTests.RunAsync([.. command, "--results", missing]);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"results root '{missing}': no such directory", output);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task A_misspelt_option_names_the_one_meant()
    {
        Directory.CreateDirectory(Results);

        var (code, output) = await CliTests.RunAsync("store", "migrate", "--dryrun", "--results", Results);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("Did you mean --dry-run? (`grid store migrate --help` lists the options.)", output);
        Assert.False(Directory.Exists(RunStore.Of(Results).Root));
    }

    [Fact]
    public async Task A_sweep_whose_runs_cannot_all_be_migrated_here_exits_1_and_stays_to_migrate()
    {
        using var data = new TemporaryDirectory("grid-store-cli-data-");
        foreach (string file in Directory.EnumerateFiles(Engine.Data.DatasetCatalog.ResolveDirectory(new Engine.Specs.DatasetSpec())))
        {
            File.Copy(file, Path.Combine(data.Path, Path.GetFileName(file)));
        }

        LegacySweeps.Create(Results, LegacySweeps.Tiny("elsewhere", datasetPath: data.Path), iterations: 0);
        Directory.Delete(data.Path, recursive: true);

        var (code, output) = await CliTests.RunAsync("store", "migrate", "--results", Results);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("run 1 (", output);
        Assert.Contains("skipped: dataset fashion-mnist cannot be read on this machine", output);
        Assert.Contains("1 still written the old way", output);
        Assert.Single(LegacyImport.Pending(new SweepStore(Results)));
    }
}
