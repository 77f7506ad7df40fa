using Grid.Client;
using Grid.Client.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Tests.Cli;

/// <summary>Misspelt or misused command lines are errors that say what was meant; nothing starts or is written.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string Results => _directory.File("results");

    private string Spec(string name = "probe.yaml") => _directory.Write(name, SpecFixtures.TinyBase);

    [Fact]
    public async Task A_misspelt_option_is_an_error_with_the_option_meant_and_nothing_is_trained()
    {
        var (code, output) = await CliTests.RunAsync("run", Spec(), "--dryrun", "--results", Results);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("Unknown option 'dryrun'", output);
        Assert.Contains("Did you mean --dry-run? (`grid run --help` lists the options.)", output);
        Assert.False(Directory.Exists(Results));
    }

    [Theory]
    [InlineData("status", "--result", "Did you mean --results? (`grid status --help` lists the options.)")]
    [InlineData("results", "--agregate", "Did you mean --aggregate? (`grid results --help` lists the options.)")]
    [InlineData("run", "-x", "`grid run --help` lists the options.")]
    public async Task Unknown_options_of_every_command_are_errors(string command, string option, string hint)
    {
        string[] args = command == "run" ? [command, Spec(), option] : command == "results" ? [command, "s", option] : [command, option];

        var (code, output) = await CliTests.RunAsync(args);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"Unknown option '{option.TrimStart('-')}'", output);
        Assert.Contains(hint, output);
    }

    [Theory]
    [InlineData("list --results", "--results", "list")]
    [InlineData("list --results --gateway localhost:1", "--results", "list")] // followed by another option
    [InlineData("status --results", "--results", "status")]
    [InlineData("run SPEC --results", "--results", "run")]
    [InlineData("run SPEC --slots", "--slots", "run")] // its own check used to quote the unbound value
    [InlineData("run SPEC --gateway --dry-run", "--gateway", "run")]
    [InlineData("results s -r", "-r", "results")]
    [InlineData("data fetch mnist --dir", "--dir", "data fetch")] // a branch's command
    public async Task An_option_without_its_value_is_an_error_and_nothing_is_written(string line, string option, string command)
    {
        string[] args = [.. line.Split(' ').Select(word => word == "SPEC" ? Spec() : word)];
        string unbound = Path.Combine(Directory.GetCurrentDirectory(), "__default_command");

        var (code, output) = await CliTests.RunAsync(args);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"{option}: no value given (`grid {command} --help` lists the options)", output);
        Assert.DoesNotContain("__default_command", output);
        Assert.False(Directory.Exists(unbound), $"{unbound} was written"); // where Spectre's unbound value sent the results
    }

    [Fact]
    public async Task An_extra_argument_is_an_error()
    {
        var (code, output) = await CliTests.RunAsync("run", Spec(), "other.yaml", "--dry-run");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("other.yaml", output);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("1.5")]
    public async Task Slots_must_be_a_whole_number_of_at_least_one(string slots)
    {
        var (code, output) = await CliTests.RunAsync("run", Spec(), "--slots", slots, "--results", Results);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"--slots '{slots}': expected a whole number of at least 1", output);
        Assert.DoesNotContain("Nullable", output);
        Assert.False(Directory.Exists(Results));
    }

    [Theory]
    [InlineData("tpu", "--device: device 'tpu': expected cpu, cuda, cuda:N, cuda:all or auto (or a comma-separated list of them)")]
    [InlineData("cuda:x", "--device: device 'cuda:x': expected cpu, cuda, cuda:N, cuda:all or auto (or a comma-separated list of them)")]
    [InlineData("cuda:99", "--device: device 'cuda:99': ")]
    public async Task A_device_this_host_cannot_train_on_is_refused_by_a_dry_run(string device, string expected)
    {
        var (code, output) = await CliTests.RunAsync("run", Spec(), "--device", device, "--dry-run", "--results", Results);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains(expected, output);
        Assert.DoesNotContain("runs, about", output);
        Assert.False(Directory.Exists(Results));
    }

    [Fact]
    public async Task Embedded_silo_options_with_a_cluster_are_refused_rather_than_ignored()
    {
        var (code, output) = await CliTests.RunAsync("run", Spec(), "--device", "cpu", "--gateway", "127.0.0.1:1");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("--device and --slots set up the embedded silo", output);
    }

    [Fact]
    public async Task A_dry_run_of_an_existing_sweep_says_that_its_analysis_list_changes_and_changes_nothing()
    {
        string yaml = SpecFixtures.TinyBase + "analysis: [curves]\n";
        var existing = SweepFile.Parse(yaml);
        new SweepStore(Results).Create(existing.Sweep, existing.Runs, yaml, DateTimeOffset.UtcNow);
        string spec = _directory.Write("changed.yaml", SpecFixtures.TinyBase + "analysis: [curves, masks]\n");
        var before = _directory.Snapshot();

        var (code, output) = await CliTests.RunAsync("run", spec, "--dry-run", "--results", Results);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"{existing.Sweep.DirectoryName()} exists: `grid run` resumes it", output);
        Assert.Contains("analysis list changes from [curves] to [curves, masks]: `grid run` applies it", output);
        Assert.Equal(before, _directory.Snapshot());
    }
}
