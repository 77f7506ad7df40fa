using Grid.Cluster.Tests.Support;

namespace Grid.Cluster.Tests;

/// <summary>
/// A sweep meant for a cluster validates on a laptop: every experiments/paper/*.yaml passes `grid run --dry-run` on a
/// machine without ImageNet, with a warning that says where silos will look, and fails with --strict. A dataset that is
/// here but broken stays an error.
/// </summary>
public sealed class PaperDryRunTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private readonly TemporaryDirectory _directory = new("grid-paper-dry-run-");

    public static TheoryData<string> PaperSpecs() =>
        [.. Directory.EnumerateFiles(Repo.PathOf("experiments/paper"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public void Dispose() => _directory.Dispose();

    [Theory]
    [MemberData(nameof(PaperSpecs))]
    public async Task A_paper_sweep_passes_a_dry_run_without_imagenet_with_a_warning_and_fails_with_strict(string file)
    {
        string spec = Path.Combine("experiments/paper", file); // as a researcher runs it, from the repository (mapping files are relative to it)
        string dataset = File.ReadAllText(Repo.PathOf(spec)).Contains("imagenet64", StringComparison.Ordinal) ? "imagenet64" : "imagenet32";

        var dryRun = await GridAsync(["run", spec, "--dry-run"]);

        Assert.True(dryRun.ExitCode == 0, dryRun.Output);
        Assert.Contains($"warning: base.dataset.name: {dataset} is not on this machine (looked in {Path.Combine(_directory.Path, "data", dataset)})", dryRun.Output);
        Assert.Contains($"silos look in $GRID_{dataset.ToUpperInvariant()}_DIR (/data/{dataset} in the Kubernetes manifests)", dryRun.Output);
        Assert.Contains("Nothing was written (--dry-run)", dryRun.Output);

        var strict = await GridAsync(["run", spec, "--dry-run", "--strict"]);

        Assert.Equal(2, strict.ExitCode);
        Assert.Contains($"base.dataset.name: {dataset}: not found in {Path.Combine(_directory.Path, "data", dataset)}", strict.Output);
        Assert.DoesNotContain("warning:", strict.Output);
        Assert.False(Directory.Exists(_directory.File("results")));
    }

    [Fact]
    public async Task An_imagenet_that_is_here_but_broken_is_an_error_even_without_strict()
    {
        string imagenet = _directory.File("imagenet32");
        Directory.CreateDirectory(imagenet);
        for (int i = 1; i <= 10; i++)
        {
            PublishedFormats.WriteImageNetBatch(Path.Combine(imagenet, $"train_data_batch_{i}.npz"), 32, count: 2, withMean: true);
        }

        File.WriteAllText(Path.Combine(imagenet, "val_data"), "not a pickle");

        var dryRun = await GridAsync(["run", "experiments/paper/main.yaml", "--dry-run"], ("GRID_IMAGENET32_DIR", imagenet));

        Assert.Equal(2, dryRun.ExitCode);
        Assert.Contains($"base.dataset.name: {Path.Combine(imagenet, "val_data")}: neither a pickle (protocol 2+) nor an .npz archive", dryRun.Output);
    }

    [Fact]
    public async Task Strict_without_dry_run_is_refused()
    {
        var run = await GridAsync(["run", "experiments/paper/main.yaml", "--strict"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--strict changes only --dry-run", run.Output);
    }

    private async Task<CliOutcome> GridAsync(string[] arguments, params (string Key, string Value)[] environment)
    {
        arguments = [.. arguments, "--results", _directory.File("results")];
        var outcome = await CliProcess.RunAsync(Repo.Root, arguments, Bound, DataEnvironment.With(_directory.File("data"), environment));
        output.WriteLine($"$ grid {string.Join(' ', arguments)}\n{outcome.Output}");
        return outcome;
    }
}
