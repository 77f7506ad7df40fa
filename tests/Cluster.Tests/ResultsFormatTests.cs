using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Grid.Client.Specs;
using Grid.Cluster.Tests.Support;
using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;

namespace Grid.Cluster.Tests;

/// <summary>
/// A real tiny sweep run by the `grid` process with command-line overrides, then read as a researcher would:
/// docs/results-format.md's NumPy snippet runs on it with the system's python3, every file it wrote is listed on that
/// page, the finished table shows each run's best accuracy and where it was reached, and sweep.yaml records the
/// overrides.
/// </summary>
public sealed partial class ResultsFormatTests(ITestOutputHelper output) : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string Doc = "docs/results-format.md";

    private const string TinySweep = """
        name: format
        base:
          dataset: {name: fashion-mnist, fraction: 0.05, val_size: 500}
          network: {hidden: [16, 16, 16]}
          training: {batch_size: 50, steps: 30, validate_every: 10}
          pruning: {rate: 0.5, rewind_step: 5, max_iterations: 1}
        """;

    private readonly TemporaryDirectory _directory = new("grid-results-format-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_real_sweep_reads_back_as_the_results_format_page_says()
    {
        RequireNumpy();
        string results = _directory.File("results");
        _directory.Write("tiny.yaml", TinySweep);
        var sweepRun = await CliProcess.RunWorkAsync(_directory.Path, ["run", "tiny.yaml", "training.steps=40", "seed=0,1", "--results", results], results,
            new Dictionary<string, string> { ["Grid__TorchThreads"] = "1" });
        string text = sweepRun.Output;
        Assert.True(sweepRun.ExitCode == 0, $"grid run exited {sweepRun.ExitCode}:\n{text}");

        var manifest = Assert.Single(new SweepStore(results).List());
        string sweep = Path.Combine(results, manifest.Directory);
        var best = BestAccuracies(File.ReadAllText(Path.Combine(sweep, SweepLayout.SummaryFile)));
        Assert.Equal(2, best.Count);

        // The finished table: each run's best accuracy over its iterations, and the u where it was reached.
        foreach (var run in manifest.Runs)
        {
            var cells = TableRow(text, run.Index);
            Assert.Equal(best[run.Hash].Accuracy.ToString("0.0000", CultureInfo.InvariantCulture), cells[5]);
            Assert.Equal(best[run.Hash].U.ToString("0.####", CultureInfo.InvariantCulture), cells[6]);
        }

        // sweep.yaml: the file with the overrides applied, naming them, reading back to this very sweep.
        string stored = File.ReadAllText(Path.Combine(sweep, "sweep.yaml"));
        Assert.StartsWith("# tiny.yaml with the command-line overrides training.steps=40 seed=0,1", stored);
        var again = SweepFile.Parse(stored, "sweep.yaml", new SweepCheckOptions { CheckDatasetFiles = false });
        Assert.True(again.IsValid, string.Join("\n", again.Errors));
        Assert.Equal(manifest.Hash, again.Sweep.Hash());
        Assert.All(again.Runs, r => Assert.Equal(40, r.Spec.Training.Steps));

        // The page's snippet, as a researcher runs it.
        string script = _directory.Write("read_sweep.py", PythonSnippet(Repo.Read(Doc)));
        var (pythonCode, pythonOutput) = await RunAsync(Python, [script, sweep], ProgressWait.EventBound);
        output.WriteLine(pythonOutput);
        Assert.True(pythonCode == 0, $"the snippet of {Doc} failed:\n{pythonOutput}");
        foreach (var run in manifest.Runs)
        {
            Assert.Contains($"run {run.Hash} {{'seed': '{run.Values[0]}'}}: best accuracy ", pythonOutput);
        }

        Assert.Equal(2 * 2, Regex.Matches(pythonOutput, "^  iteration [01]: u per layer", RegexOptions.Multiline).Count);

        // Every file the sweep wrote is on the page.
        string doc = Repo.Read(Doc);
        var missing = Directory.EnumerateFiles(sweep, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Select(name => name!)
            .Distinct()
            .Where(name => !Documented(doc, name))
            .Order()
            .ToList();
        Assert.True(missing.Count == 0, $"files of a run that {Doc} does not list: {string.Join(", ", missing)}");

        // And every file of the run store the sweep trained into.
        string store = Path.Combine(results, RunStore.DirectoryName);
        var storeFiles = Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Select(name => name!).Distinct().ToList();
        Assert.Contains(PruneRecord.FileName, storeFiles);
        Assert.Contains(RunStore.JournalFile, storeFiles);
        var undocumented = storeFiles.Where(name => !Documented(doc, name)).Order().ToList();
        Assert.True(undocumented.Count == 0, $"files of the run store that {Doc} does not list: {string.Join(", ", undocumented)}");

        // The same sweep once more: everything is in the run store, nothing trains, and grid run says so.
        int trained = RunStore.Of(results).ReadJournal().Count(e => e.Event == StoreEvent.Trained);
        Assert.Equal(4, trained);
        var rerun = await CliProcess.RunWorkAsync(_directory.Path, ["run", "tiny.yaml", "training.steps=40", "seed=0,1", "--results", results], results,
            new Dictionary<string, string> { ["Grid__TorchThreads"] = "1" });
        Assert.True(rerun.ExitCode == 0, $"grid run again exited {rerun.ExitCode}:\n{rerun.Output}");
        Assert.Contains("Nothing to train: all 4 iterations are in the run store.", rerun.Output);
        Assert.Equal(trained, RunStore.Of(results).ReadJournal().Count(e => e.Event == StoreEvent.Trained));
    }

    /// <summary>Named on the page as such, or in its general form (iter-NNN, layerN, a hash, an axis, an analysis).</summary>
    private static bool Documented(string doc, string name)
    {
        string general = Hash().Replace(LayerNumber().Replace(IterationNumber().Replace(name, m => m.Groups["kind"].Value == "step" ? "step-NNNNNNN" : $"{m.Groups["kind"].Value}-NNN"), "layerN"), "<hash>");
        general = AxisFigure().Replace(general, "${kind}-<axis or all>.");
        if (name.EndsWith(".done.json", StringComparison.Ordinal))
        {
            string analysis = name[..^".done.json".Length];
            return doc.Contains("`<analysis>.done.json`", StringComparison.Ordinal) && doc.Contains($"| `{analysis}` |", StringComparison.Ordinal);
        }

        return doc.Contains($"`{name}`", StringComparison.Ordinal) || doc.Contains(general, StringComparison.Ordinal);
    }

    /// <summary>The first ```python block of the page.</summary>
    private static string PythonSnippet(string doc)
    {
        var match = PythonBlock().Match(doc);
        Assert.True(match.Success, $"{Doc} has no ```python block");
        return match.Groups["code"].Value;
    }

    private static Dictionary<string, (double Accuracy, double U)> BestAccuracies(string summaryCsv)
    {
        var rows = CsvText.Parse(summaryCsv);
        var header = rows[0].ToList();
        int run = header.IndexOf("run"), accuracy = header.IndexOf("best_val_accuracy"), u = header.IndexOf("unpruned_fraction"), status = header.IndexOf("status");
        return rows.Skip(1).Where(r => r[status] == SummaryTable.Finished)
            .Select(r => (Run: r[run], Accuracy: double.Parse(r[accuracy], CultureInfo.InvariantCulture), U: double.Parse(r[u], CultureInfo.InvariantCulture)))
            .GroupBy(r => r.Run)
            .ToDictionary(g => g.Key, g => g.Aggregate((a, b) => b.Accuracy > a.Accuracy ? b : a) is var top ? (top.Accuracy, top.U) : default);
    }

    /// <summary>The cells of run <paramref name="index"/>'s row in the finished table (# seed state iterations u best at-u ETA).</summary>
    private static string[] TableRow(string text, int index)
    {
        string? line = text.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith($"│ {index} ", StringComparison.Ordinal) && l.Contains("finished", StringComparison.Ordinal));
        Assert.True(line is not null, $"no finished row for run {index} in:\n{text}");
        return [.. line!.Split('│', StringSplitOptions.TrimEntries).Where((_, i) => i > 0).SkipLast(1)];
    }

    private static void RequireNumpy()
    {
        Assert.True(File.Exists(Python), $"{Python} not found: the results-format test runs the documented snippet with the system's Python (apt-get install python3-numpy)");
        var start = new ProcessStartInfo(Python, ["-c", "import numpy"]) { RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"NumPy is not installed for {Python}: apt-get install python3-numpy (scripts/setup does with GRID_SETUP_SERVICES=1)");
    }

    private Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan bound)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory.Path,
        };
        return RunAsync(start, bound);
    }

    private static async Task<(int Code, string Output)> RunAsync(ProcessStartInfo start, TimeSpan bound)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{start.FileName} {string.Join(' ', start.ArgumentList)} was still running after {bound.TotalSeconds} s:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"(?<kind>iter|prune)-\d{3}|(?<kind>step)-\d{7}")]
    private static partial Regex IterationNumber();

    [GeneratedRegex(@"layer\d+")]
    private static partial Regex LayerNumber();

    [GeneratedRegex(@"[0-9a-f]{16}")]
    private static partial Regex Hash();

    [GeneratedRegex(@"^(?<kind>accuracy|gain)-[^.]+\.")]
    private static partial Regex AxisFigure();

    [GeneratedRegex(@"```python\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();
}
