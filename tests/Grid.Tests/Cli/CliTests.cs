using Grid.Client;
using Grid.Client.Specs;
using Grid.Engine.Runs;
using Grid.Engine.Sweeps;
using Grid.Tests.Support;

namespace Grid.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "grid-cli-tests", Guid.NewGuid().ToString("N")[..12]);

    public CliTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_bad_spec_exits_with_2_lists_every_field_path_and_writes_nothing()
    {
        string spec = Write("bad.yaml", """
            name: bad
            base:
              training:
                stepz: 10
                learning_rate: -1
            matrix:
              - field: dataset.fraction
                values: [1, 0]
            """);
        string results = Path.Combine(_directory, "results");

        var (code, output) = await RunAsync("run", spec, "--results", results);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("base.training.stepz: unknown field (did you mean 'steps'?) (line 4)", output);
        Assert.Contains("base.training.learning_rate: must be > 0", output);
        Assert.Contains("matrix[0].values[1] (dataset.fraction): must be in (0, 1]", output);
        Assert.Contains("nothing was started", output);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public async Task Dry_run_prints_the_expanded_runs_and_writes_nothing()
    {
        string results = Path.Combine(_directory, "results");

        var (code, output) = await RunAsync("run", Preset("fashion-sweep.yaml"), "--dry-run", "--results", results);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("12 runs", output);
        Assert.Contains("labels=random classes=5", output);
        Assert.Contains("Nothing was written", output);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public async Task Dry_run_of_a_grown_sweep_says_per_run_what_is_stored_and_what_will_train()
    {
        string Tiny(string seeds, int maxIterations) => $$"""
            name: grown
            base:
              dataset: {name: fashion-mnist, fraction: 0.02, val_size: 200}
              network: {hidden: [16, 16]}
              training: {steps: 20, batch_size: 32, validate_every: 10}
              pruning: {rewind_step: 5, max_iterations: {{maxIterations}}, stop_ratio: 0.01}
            matrix:
              - field: seed
                values: {{seeds}}
            analysis: [none]
            """;
        string results = Path.Combine(_directory, "results");
        var trained = SweepFile.Parse(Tiny("[0]", maxIterations: 1));
        var store = new SweepStore(results);
        var manifest = store.Create(trained.Sweep, trained.Runs, null, DateTimeOffset.UtcNow);
        RunExecutor.RunToEnd(trained.Runs[0].Spec, store.RunPath(manifest, manifest.Runs[0]), TorchSharp.torch.CPU, null, CancellationToken.None);
        var before = Directory.EnumerateFileSystemEntries(results, "*", SearchOption.AllDirectories).Order().ToList();

        var (code, output) = await RunAsync("run", Write("grown.yaml", Tiny("[0, 1]", maxIterations: 2)), "--dry-run", "--results", results);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("stored", output);
        Assert.Contains("to train", output);
        Assert.Contains("~4 iterations to train, 2 reused from the run store.", output);
        Assert.Contains("about 80 training steps to train", output); // 4 iterations of 20 steps
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(results, "*", SearchOption.AllDirectories).Order().ToList());
    }

    [Fact]
    public async Task A_missing_file_is_an_invalid_input()
    {
        var (code, output) = await RunAsync("run", Path.Combine(_directory, "nope.yaml"));

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("does not exist", output);
    }

    [Fact]
    public async Task Detach_without_a_gateway_is_refused()
    {
        var (code, output) = await RunAsync("run", Preset("quickstart.yaml"), "--detach");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("--detach needs a running cluster", output);
    }

    [Fact]
    public async Task Help_lists_the_commands_with_examples()
    {
        var (code, output) = await RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, code);
        foreach (string command in new[] { "run", "watch", "status", "list", "results", "cancel" })
        {
            Assert.Contains(command, output);
        }

        Assert.Contains("grid run experiments/quickstart.yaml", output);
    }

    [Fact]
    public async Task Watch_without_a_reachable_cluster_fails_clearly()
    {
        var (code, output) = await RunAsync("watch", "quickstart", "--gateway", "127.0.0.1:1");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("cannot reach the grid gateway at 127.0.0.1:1", output);
    }

    [Fact]
    public async Task List_status_and_results_read_a_local_results_directory()
    {
        string results = Path.Combine(_directory, "empty");
        var (code, output) = await RunAsync("list", "--results", results);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("No sweeps", output);

        (code, output) = await RunAsync("results", "nothing", "--results", results);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("no sweep 'nothing'", output);
    }

    internal static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var writer = new StringWriter();
        int code = await GridApp.RunAsync(args, PlainConsole.Create(writer, width: 250), CancellationToken.None);
        return (code, writer.ToString());
    }

    internal static string Preset(string file) => Path.Combine(AppContext.BaseDirectory, "experiments", file);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
