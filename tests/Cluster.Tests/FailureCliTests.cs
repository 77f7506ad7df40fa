using Grid.Cluster.Tests.Support;
using Grid.Engine.Runs;
using Grid.Engine.Sweeps;
using Grid.Grains.Failures;

namespace Grid.Cluster.Tests;

/// <summary>`grid` as a new user runs it (a real process with its embedded silo): failures end the process with the
/// reason and an exit code, and results that do not verify are reported naming the file, then repaired by `grid run`.</summary>
public sealed class FailureCliTests : IDisposable
{
    /// <summary>Generous: the machine may be busy. A run is 3 iterations of 20 steps of a 16x16 net on 2% of Fashion-MNIST.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(300);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "grid-failure-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public FailureCliTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Results => Path.Combine(_directory, "results");

    private static string Spec(string name, string matrix, string analysis) =>
        TinyFashionSweep.Yaml(name, matrix.TrimEnd(), $"analysis: {analysis}", stopRatio: 0.01);

    [Fact]
    public async Task A_diverging_run_ends_the_process_with_exit_1_and_its_reason_while_the_other_run_finishes()
    {
        string spec = Write("diverge.yaml", Spec("diverge", """
              - field: training.learning_rate
                values: [0.1, 1.0e+20]
            """, "[none]"));

        var run = await CliRun.RunAsync(_directory, Bound, "run", spec, "--results", Results);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(Squash("training diverged at step 10"), Squash(run.Output));
        Assert.Contains(Squash("1 run(s) failed"), Squash(run.Output));
        // One line on stderr for the one failure: no retries, no stack traces.
        Assert.True(run.Errors.Split('\n').Count(l => l.Contains("training diverged", StringComparison.Ordinal)) == 1, run.ToString());
        Assert.False(run.Errors.Contains("   at ", StringComparison.Ordinal), $"a stack trace on stderr:\n{run}"); // the whole output: which log line it was

        var manifest = new SweepStore(Results).Resolve("diverge");
        string sweep = new SweepStore(Results).SweepPath(manifest);
        var rows = CsvText.Parse(File.ReadAllText(Path.Combine(sweep, SweepLayout.SummaryFile)));
        var failed = Assert.Single(rows, r => r[^1] == "failed");
        Assert.Equal("iteration 0: training diverged at step 10: loss = NaN (try a smaller learning rate)", failed[^2]);
        Assert.Equal(3, rows.Count(r => r[^1] == "finished"));
        Assert.False(File.Exists(Path.Combine(sweep, "report.html"))); // a failed sweep gets no report
        var failedRun = manifest.Runs.Single(r => r.Hash == failed[0]);
        Assert.Equal("permanent", RunFailureFile.Read(Path.Combine(sweep, failedRun.Directory))!.Kind);

        var status = await CliRun.RunAsync(_directory, Bound, "status", "diverge", "--results", Results);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("failed", status.Output);
        Assert.Contains(Squash("training diverged at step 10"), Squash(status.Output));
    }

    [Fact]
    public async Task A_bad_MKL_setting_ends_the_process_with_exit_2_naming_the_variable_and_writes_nothing()
    {
        string spec = Write("mkl.yaml", Spec("mkl", """
              - field: seed
                values: [1]
            """, "[none]"));

        var run = await CliRun.RunAsync(_directory, Bound, new Dictionary<string, string> { ["GRID_MKL_AVX512"] = "yes" }, "run", spec, "--results", Results);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(Squash("GRID_MKL_AVX512='yes' is not a setting: use auto"), Squash(run.All));
        Assert.False(run.All.Contains("   at ", StringComparison.Ordinal), run.ToString());
        Assert.False(Directory.Exists(Results));
    }

    [Fact]
    public async Task Results_and_report_refuse_artifacts_that_do_not_verify_and_run_sets_them_aside_and_retrains()
    {
        string spec = Write("repair.yaml", Spec("repair", """
              - field: seed
                values: [0, 1, 2]
            """, "[curves]"));
        var first = await CliRun.RunAsync(_directory, Bound, "run", spec, "--results", Results);
        Assert.True(first.ExitCode == 0, first.ToString());
        var store = new SweepStore(Results);
        var manifest = store.Resolve("repair");
        string sweep = store.SweepPath(manifest);
        string[] runs = [.. manifest.Runs.OrderBy(r => r.Index).Select(r => store.RunPath(manifest, r))];
        string report = Path.Combine(sweep, "report.html");
        var reportBefore = (File.ReadAllBytes(report), File.GetLastWriteTimeUtc(report));

        string mask = Path.Combine(runs[0], "iter-001", "mask.npz");
        using (var stream = new FileStream(mask, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);                                  // run 0: a truncated mask
        }

        Directory.Delete(Path.Combine(runs[1], "iter-001"), recursive: true);    // run 1: an iteration directory deleted
        string summary = Path.Combine(runs[2], "iter-002", "summary.json");
        File.WriteAllText(summary, File.ReadAllText(summary)[..30]);           // run 2: a truncated summary.json

        var results = await CliRun.RunAsync(_directory, Bound, "results", "repair", "--results", Results);
        Assert.True(results.ExitCode == 1, results.ToString());
        string flat = Squash(results.Output);
        Assert.Contains(Squash("3 runs have finished iterations whose files do not verify"), flat);
        Assert.Contains(Squash(mask + ": "), flat);
        Assert.Contains(Squash(Path.Combine(runs[1], "iter-001", "mask.npz") + ": missing"), flat);
        Assert.Contains(Squash(summary + ": not a valid iteration summary"), flat);

        var refused = await CliRun.RunAsync(_directory, Bound, "report", "repair", "--results", Results);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains(Squash(mask + ": "), Squash(refused.Output));
        Assert.Contains(Squash("No report was written"), Squash(refused.Output));
        Assert.DoesNotContain("Exception", refused.All);
        Assert.Equal(reportBefore.Item1, File.ReadAllBytes(report));
        Assert.Equal(reportBefore.Item2, File.GetLastWriteTimeUtc(report));

        var status = await CliRun.RunAsync(_directory, Bound, "status", "repair", "--results", Results);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("warning:", status.Output);
        Assert.Contains(Squash(summary + ": not a valid iteration summary"), Squash(status.Output));
        var list = await CliRun.RunAsync(_directory, Bound, "list", "--results", Results);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("repair", list.Output);

        var repair = await CliRun.RunAsync(_directory, Bound, "run", spec, "--results", Results);

        Assert.True(repair.ExitCode == 0, repair.ToString());
        string repaired = Squash(repair.Output);
        Assert.Contains(Squash(mask + ": "), repaired);
        Assert.Contains(Squash("set aside in quarantine/"), repaired);
        Assert.Contains(Squash("report: "), repaired);
        foreach (string run in runs)
        {
            var check = RunIntegrity.Check(run, IntegrityDepth.Full);
            Assert.Equal((3, null), (check.Valid.Count, check.Problem));
            Assert.Single(Directory.GetDirectories(Path.Combine(run, RunQuarantine.DirectoryName)));
        }

        var after = await CliRun.RunAsync(_directory, Bound, "results", "repair", "--results", Results, "--csv");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(9, CsvText.Parse(after.Output).Count(r => r[^1] == "finished"));
    }

    /// <summary>Text without whitespace: the console wraps lines at 80 columns (when redirected), at spaces or, in
    /// long paths, anywhere; compare squashed text with squashed text.</summary>
    private static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
