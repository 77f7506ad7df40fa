using Grid.Cluster.Tests.Support;
using Grid.Engine.Runs;
using Grid.Engine.Sweeps;

namespace Grid.Cluster.Tests;

/// <summary>
/// A tiny sweep run by the `grid` process ends with its findings against the null models, and `grid compare` writes one
/// page over the sweep and one of its runs; results that do not verify are named and nothing is written.
/// </summary>
public sealed class CompareCommandTests(ITestOutputHelper output) : IDisposable
{
    private const string TinySweep = """
        name: cmp
        base:
          dataset: {name: fashion-mnist, fraction: 0.05, val_size: 500}
          network: {hidden: [16, 16, 16]}
          training: {batch_size: 50, steps: 30, validate_every: 10}
          pruning: {rate: 0.5, rewind_step: 5, max_iterations: 2}
        matrix:
          - field: training.learning_rate
            values: [0.1, 0.05]
        """;

    private readonly TemporaryDirectory _directory = new("grid-compare-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_finished_sweep_states_its_findings_and_compare_writes_one_page_over_a_sweep_and_a_run()
    {
        string results = _directory.File("results");
        _directory.Write("cmp.yaml", TinySweep);
        var run = await GridAsync(["run", "cmp.yaml", "--results", results], results);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("findings: At the best iteration of each of the 2 runs", run.Output);
        Assert.Matches(@"• run 1 \(training.learning_rate = 0.1\): at iteration \d", run.Output);

        var manifest = Assert.Single(new SweepStore(results).List());
        var second = manifest.Runs.Single(r => r.Index == 2);
        var compare = await GridAsync(["compare", "cmp", $"cmp/{second.Hash[..6]}", "--results", results], results);

        Assert.True(compare.ExitCode == 0, compare.Output);
        string page = Path.Combine(results, "compare-cmp-vs-cmp-run2.html");
        Assert.Contains($"comparison: {page}", compare.Output);
        Assert.Contains("• cmp: training.learning_rate = 0.1: at iteration", compare.Output);
        Assert.Contains("• cmp run 2 (training.learning_rate = 0.05): at iteration", compare.Output);
        string html = File.ReadAllText(page);
        Assert.Contains("<title>Grid comparison: cmp: training.learning_rate = 0.1 vs cmp: training.learning_rate = 0.05 vs cmp run 2 (training.learning_rate = 0.05)</title>", html);
        Assert.Contains("Findings against the null models", html);
        foreach (string file in new[] { "accuracy.png", "accuracy.csv", "gain.png", "curves.png", "findings.json" })
        {
            Assert.True(File.Exists(Path.Combine(results, "compare-cmp-vs-cmp-run2.figures", file)), file);
        }

        // A mask that no longer matches its checksum: named, and nothing written.
        string mask = new RunDirectory(Path.Combine(results, manifest.Directory, second.Directory)).MaskFile(1);
        File.AppendAllText(mask, "x");
        string other = _directory.File("other.html");
        var broken = await GridAsync(["compare", "cmp", $"cmp/{second.Hash}", "--results", results, "--output", other], results);

        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("mask.npz", broken.Output);
        Assert.Contains("Nothing was written.", broken.Output);
        Assert.False(File.Exists(other));
    }

    /// <summary>`grid ARGUMENTS`, stopped only when neither its output nor the files under <paramref name="results"/> move.</summary>
    private async Task<CliOutcome> GridAsync(string[] arguments, string results)
    {
        var outcome = await CliProcess.RunWorkAsync(_directory.Path, arguments, results, new Dictionary<string, string> { ["Grid__TorchThreads"] = "1" });
        output.WriteLine($"$ grid {string.Join(' ', arguments)}\n{outcome.Output}");
        return outcome;
    }
}
