using System.Text.Json.Nodes;
using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using static TorchSharp.torch;

namespace Grid.Tests.Shared;

/// <summary>
/// Results as the grid wrote them before the run store, made with the engine's in-place path: a sweep.json without
/// <c>format</c>, run directories without store.json and no store/, and each run trained in its own directory.
/// </summary>
public static class LegacySweeps
{
    /// <summary>A sweep of tiny Fashion-MNIST runs (a second or so per iteration) over <paramref name="methods"/> (imp
    /// when none) and <paramref name="seeds"/> (1 when none), as a sweep document.</summary>
    public static string Tiny(string name, string[]? methods = null, long[]? seeds = null, int maxIterations = 1, string? datasetPath = null)
    {
        var dataset = new JsonObject { ["name"] = "fashion-mnist", ["fraction"] = 0.05, ["val_size"] = 500 };
        if (datasetPath is not null)
        {
            dataset["path"] = datasetPath;
        }

        return new JsonObject
        {
            ["name"] = name,
            ["base"] = new JsonObject
            {
                ["dataset"] = dataset,
                ["network"] = new JsonObject { ["hidden"] = new JsonArray(32, 32, 32) },
                ["training"] = new JsonObject { ["batch_size"] = 50, ["steps"] = 60, ["validate_every"] = 20 },
                ["pruning"] = new JsonObject { ["rate"] = 0.5, ["rewind_step"] = 10, ["max_iterations"] = maxIterations, ["target_density"] = 0.2 },
            },
            ["matrix"] = new JsonArray(
                new JsonObject { ["field"] = "pruning.method", ["values"] = new JsonArray([.. (methods ?? ["imp"]).Select(m => JsonValue.Create(m))]) },
                new JsonObject { ["field"] = "seed", ["values"] = new JsonArray([.. (seeds ?? [1]).Select(s => JsonValue.Create(s))]) }),
        }.ToJsonString();
    }

    /// <summary>Writes the sweep as the grid did before the run store and trains each of its runs in its own directory,
    /// to its end or for <paramref name="iterations"/> iterations. Returns the manifest as read back (format 1).</summary>
    public static SweepManifest Create(string resultsRoot, string document, int? iterations = null)
    {
        var compilation = SweepCompiler.Compile(JsonNode.Parse(document));
        var sweeps = new SweepStore(resultsRoot);
        var store = RunStore.Of(resultsRoot);
        bool storeExisted = Directory.Exists(store.Root);
        var partsBefore = Parts(store);
        var manifest = sweeps.Create(compilation.Require(), compilation.Runs, null, DateTimeOffset.UtcNow);

        string manifestFile = Path.Combine(sweeps.SweepPath(manifest), SweepLayout.ManifestFile);
        var legacy = JsonNode.Parse(File.ReadAllText(manifestFile))!.AsObject();
        legacy.Remove("format");
        File.WriteAllText(manifestFile, legacy.ToJsonString(SpecJson.Indented));
        foreach (var run in manifest.Runs)
        {
            File.Delete(Path.Combine(sweeps.RunPath(manifest, run), StoreLink.FileName));
        }

        foreach (string part in Parts(store).Except(partsBefore))
        {
            Directory.Delete(part, recursive: true);
        }

        if (!storeExisted)
        {
            Directory.Delete(store.Root, recursive: true);
        }

        foreach (var plan in compilation.Runs)
        {
            string directory = sweeps.RunPath(manifest, manifest.Runs.Single(r => r.Hash == plan.Hash));
            if (iterations is { } count)
            {
                for (int n = 0; n < count; n++)
                {
                    RunExecutor.RunIteration(plan.Spec, directory, n, CPU, null, CancellationToken.None);
                }
            }
            else
            {
                RunExecutor.RunToEnd(plan.Spec, directory, CPU, null, CancellationToken.None);
            }
        }

        var written = sweeps.Find(manifest.Hash)!;
        if (written.UsesRunStore || Directory.EnumerateFiles(sweeps.SweepPath(written), StoreLink.FileName, SearchOption.AllDirectories).Any())
        {
            throw new InvalidOperationException("the legacy sweep was not written the legacy way");
        }

        return written;
    }

    /// <summary>The spec of a run of a sweep (from its run directory's spec.json).</summary>
    public static ExperimentSpec Spec(SweepStore sweeps, SweepManifest manifest, ManifestRun run) =>
        SpecJson.Parse<ExperimentSpec>(File.ReadAllText(Path.Combine(sweeps.RunPath(manifest, run), RunIntegrity.SpecFile)));

    private static IReadOnlyList<string> Parts(RunStore store) =>
        [.. new[] { "trunks", "lines" }.Select(p => Path.Combine(store.Root, p)).Where(Directory.Exists).SelectMany(Directory.EnumerateDirectories)];
}
