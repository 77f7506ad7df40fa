using System.Text.Json.Nodes;
using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Engine.Sweeps;
using static TorchSharp.torch;

namespace Grid.Analysis.Tests.Runs;

/// <summary>
/// A real, tiny sweep trained by the engine on the embedded Fashion-MNIST: 784-16x3, 40 steps, two learning rates x two
/// seeds (4 runs of 2-3 IMP iterations), with its manifest written through <see cref="SweepStore"/> and its summary
/// through <see cref="SummaryTable"/>, as the grid does. Built once for the test collection (a few seconds).
/// </summary>
public sealed class TinySweepFixture : IDisposable
{
    /// <summary>The submitted file (kept as sweep.yaml); its comment checks that the report escapes text.</summary>
    public const string SourceText = """
        # tiny sweep for the analysis tests <script>alert("x")</script> & friends
        name: tiny-sweep
        base:
          dataset: {name: fashion-mnist, fraction: 0.05, val_size: 500}
          network: {hidden: [16, 16, 16]}
          training: {batch_size: 50, steps: 40, validate_every: 20}
          pruning: {method: imp, rate: 0.5, rewind_step: 5, max_iterations: 2}
        matrix:
          - field: training.learning_rate
            values: [0.1, 0.05]
          - field: seed
            values: [0, 1]
        analysis: []
        """;

    /// <summary>The same document as JSON (what the client's YAML reader hands to the compiler).</summary>
    private const string Document = """
        {
          "name": "tiny-sweep",
          "base": {
            "dataset": {"name": "fashion-mnist", "fraction": 0.05, "val_size": 500},
            "network": {"hidden": [16, 16, 16]},
            "training": {"batch_size": 50, "steps": 40, "validate_every": 20},
            "pruning": {"method": "imp", "rate": 0.5, "rewind_step": 5, "max_iterations": 2}
          },
          "matrix": [
            {"field": "training.learning_rate", "values": [0.1, 0.05]},
            {"field": "seed", "values": [0, 1]}
          ],
          "analysis": []
        }
        """;

    public TinySweepFixture()
    {
        TorchRuntime.EnsureLoaded();
        Root = Path.Combine(Path.GetTempPath(), "grid-tiny-sweep-" + Guid.NewGuid().ToString("N"));
        SweepCompilation compilation = SweepCompiler.Compile(JsonNode.Parse(Document));
        SweepDefinition sweep = compilation.Require();
        Plans = compilation.Runs;
        Store = new SweepStore(Root);
        Manifest = Store.Create(sweep, compilation.Runs, SourceText, DateTimeOffset.UtcNow);
        foreach (RunPlan plan in Plans)
        {
            ManifestRun run = Manifest.Runs.Single(r => r.Hash == plan.Hash);
            RunExecutor.RunToEnd(plan.Spec, Store.RunPath(Manifest, run), CPU, null, CancellationToken.None);
        }
        var inputs = Manifest.Runs.Select(r => new RunSummaryInput(r, Store.Outcomes(Manifest, r), null)).ToList();
        Store.WriteSummary(Manifest, SummaryTable.Summary(Manifest, inputs), SummaryTable.Aggregate(Manifest, inputs));
        SweepDirectory = Store.SweepPath(Manifest);
    }

    public string Root { get; }
    public SweepStore Store { get; }
    public SweepManifest Manifest { get; }
    public IReadOnlyList<RunPlan> Plans { get; }
    public string SweepDirectory { get; }

    public string RunDirectory(RunPlan plan) => Store.RunPath(Manifest, Manifest.Runs.Single(r => r.Hash == plan.Hash));

    /// <summary>A copy of the sweep directory without any analysis output, so that each test starts clean.</summary>
    public string CopySweep(string destination)
    {
        Copy(SweepDirectory, destination);
        return destination;
    }

    /// <summary>A copy of one run directory without its analysis output.</summary>
    public string CopyRun(RunPlan plan, string destination)
    {
        Copy(RunDirectory(plan), destination);
        return destination;
    }

    private static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "analysis" or "report" || part == "report.html"))
            {
                continue;
            }
            string target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TinySweepCollection : ICollectionFixture<TinySweepFixture>
{
    public const string Name = "tiny sweep";
}
