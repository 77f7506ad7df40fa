using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Specs;

namespace Grid.Engine.Sweeps;

/// <summary>Reads and writes sweeps under a results root (see <see cref="SweepLayout"/>). Thread-safe; every write is atomic.</summary>
public sealed class SweepStore(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string SweepPath(SweepManifest manifest) => Path.Combine(Root, manifest.Directory);

    public string RunPath(SweepManifest manifest, ManifestRun run) => Path.Combine(SweepPath(manifest), run.Directory);

    /// <summary>Every sweep under the root, oldest first.</summary>
    public IReadOnlyList<SweepManifest> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var manifests = new List<SweepManifest>();
        foreach (string directory in Directory.EnumerateDirectories(Root))
        {
            if (TryRead(Path.Combine(directory, SweepLayout.ManifestFile)) is { } manifest)
            {
                manifests.Add(manifest);
            }
        }

        return [.. manifests.OrderBy(m => m.Created).ThenBy(m => m.Name, StringComparer.Ordinal)];
    }

    public SweepManifest? Find(string hash)
    {
        if (!Directory.Exists(Root))
        {
            return null;
        }

        foreach (string directory in Directory.EnumerateDirectories(Root, "*-" + hash))
        {
            if (TryRead(Path.Combine(directory, SweepLayout.ManifestFile)) is { } manifest && manifest.Hash == hash)
            {
                return manifest;
            }
        }

        return null;
    }

    /// <summary>Finds a sweep by directory name, hash, hash prefix or name (the newest sweep of that name).</summary>
    public SweepManifest Resolve(string reference) => Resolve(List(), reference);

    public static SweepManifest Resolve(IReadOnlyList<SweepManifest> sweeps, string reference)
    {
        string trimmed = reference.Trim().TrimEnd('/');
        string leaf = Path.GetFileName(trimmed);
        var exact = sweeps.Where(m => m.Directory == leaf || m.Hash == leaf).ToList();
        if (exact.Count == 1)
        {
            return exact[0];
        }

        var byName = sweeps.Where(m => m.Name == leaf).ToList();
        if (byName.Count > 0)
        {
            return byName[^1];
        }

        var byPrefix = sweeps.Where(m => leaf.Length >= 4 && m.Hash.StartsWith(leaf, StringComparison.Ordinal)).ToList();
        return byPrefix.Count switch
        {
            1 => byPrefix[0],
            0 => throw new KeyNotFoundException($"no sweep '{reference}' (known: {(sweeps.Count == 0 ? "none" : string.Join(", ", sweeps.Select(s => s.Directory)))})"),
            _ => throw new KeyNotFoundException($"'{reference}' matches several sweeps: {string.Join(", ", byPrefix.Select(s => s.Directory))}"),
        };
    }

    /// <summary>Writes the manifest (and the source text) of a new sweep, or returns the existing one.</summary>
    public SweepManifest Create(SweepDefinition sweep, IReadOnlyList<RunPlan> runs, string? sourceText, DateTimeOffset now)
    {
        string hash = sweep.Hash();
        if (Find(hash) is { } existing)
        {
            return existing;
        }

        var identities = runs.ToDictionary(r => r.Hash, r => RunIdentity.Of(r.Spec), StringComparer.Ordinal);
        var manifest = new SweepManifest
        {
            Format = SweepManifest.RunStoreFormat,
            Hash = hash,
            Name = sweep.Name,
            Created = now,
            Directory = sweep.DirectoryName(),
            Sweep = (JsonObject)JsonNode.Parse(sweep.Canonical())!,
            Analysis = sweep.Analysis,
            Axes = [.. sweep.Axes.Select(a => a.Field)],
            Runs =
            [
                .. runs.Select(r => new ManifestRun
                {
                    Index = r.Index,
                    Hash = r.Hash,
                    Values = [.. r.Values.Select(v => v.Display)],
                    Directory = SweepLayout.RunDirectory(r.Hash),
                    EstimatedIterations = IterationEstimate.For(r.Spec),
                    MaxIterations = r.Spec.Pruning.MaxIterations,
                }),
            ],
        };
        string directory = SweepPath(manifest);
        if (sourceText is not null)
        {
            AtomicFile.WriteText(Path.Combine(directory, SweepLayout.SourceFile), sourceText);
        }

        var store = RunStore.Of(Root);
        foreach (var run in manifest.Runs)
        {
            store.Register(identities[run.Hash]);
            StoreLink.Write(RunPath(manifest, run), store, identities[run.Hash]);
        }

        AtomicFile.WriteText(Path.Combine(directory, SweepLayout.ManifestFile), JsonSerializer.Serialize(manifest, SpecJson.Indented));
        return manifest;
    }

    /// <summary>
    /// Links the runs of a sweep submitted again to the work their specs stand for now: a run that has not finished an
    /// iteration yet follows its data when its files changed since the sweep was first submitted (e.g. a dataset that was
    /// fixed). A run with finished iterations keeps its link; training it on changed files fails and says so.
    /// Returns how many runs were linked anew.
    /// </summary>
    public int Relink(SweepManifest manifest, IReadOnlyList<RunPlan> runs)
    {
        if (!manifest.UsesRunStore)
        {
            return 0;
        }

        var store = RunStore.Of(Root);
        var byHash = runs.ToDictionary(r => r.Hash, StringComparer.Ordinal);
        int relinked = 0;
        foreach (var run in manifest.Runs)
        {
            string path = RunPath(manifest, run);
            if (!byHash.TryGetValue(run.Hash, out var plan) || File.Exists(new RunDirectory(path).SummaryFile(0)))
            {
                continue;
            }

            var identity = RunIdentity.Of(plan.Spec);
            if (StoreLink.Read(path) is { } link && (link.Trunk, link.Line) == (identity.Trunk, identity.Line))
            {
                continue;
            }

            store.Register(identity);
            StoreLink.Replace(path, store, identity);
            relinked++;
        }

        return relinked;
    }

    /// <summary>Records that the runs of a sweep written before the run store now take their iterations from it
    /// (sweep.json format 2, rewritten atomically), once each run directory is linked (<see cref="LegacyImport"/>).</summary>
    public SweepManifest UseRunStore(SweepManifest manifest)
    {
        var updated = (Find(manifest.Hash) ?? manifest) with { Format = SweepManifest.RunStoreFormat };
        AtomicFile.WriteText(Path.Combine(SweepPath(updated), SweepLayout.ManifestFile), JsonSerializer.Serialize(updated, SpecJson.Indented));
        return updated;
    }

    /// <summary>
    /// Gives an existing sweep a new analysis list (not part of what is trained, so the sweep and its runs stay the
    /// same): the manifest, and the source text when given, are rewritten atomically. Returns the updated manifest.
    /// </summary>
    public SweepManifest UpdateAnalysis(SweepManifest manifest, IReadOnlyList<string> analysis, string? sourceText)
    {
        var updated = manifest with { Analysis = [.. analysis] };
        string directory = SweepPath(updated);
        if (sourceText is not null)
        {
            AtomicFile.WriteText(Path.Combine(directory, SweepLayout.SourceFile), sourceText);
        }

        AtomicFile.WriteText(Path.Combine(directory, SweepLayout.ManifestFile), JsonSerializer.Serialize(updated, SpecJson.Indented));
        return updated;
    }

    /// <summary>The sweep and runs a manifest stands for (compiled again from its canonical document).</summary>
    public static SweepCompilation Compile(SweepManifest manifest) =>
        SweepCompiler.Compile(manifest.Sweep.DeepClone(), new SweepCheckOptions { CheckDatasetFiles = false });

    public IReadOnlyList<IterationOutcome> Outcomes(SweepManifest manifest, ManifestRun run)
    {
        string path = RunPath(manifest, run);
        return Directory.Exists(path) ? RunExecutor.FinishedIterations(path) : [];
    }

    public bool IsCancelled(SweepManifest manifest) =>
        File.Exists(Path.Combine(SweepPath(manifest), SweepLayout.CancelledMarker));

    public void MarkCancelled(SweepManifest manifest, DateTimeOffset now) =>
        AtomicFile.WriteText(Path.Combine(SweepPath(manifest), SweepLayout.CancelledMarker), now.ToString("O") + "\n");

    public void ClearCancelled(SweepManifest manifest) =>
        File.Delete(Path.Combine(SweepPath(manifest), SweepLayout.CancelledMarker));

    public void WriteSummary(SweepManifest manifest, string summaryCsv, string aggregateCsv)
    {
        AtomicFile.WriteText(Path.Combine(SweepPath(manifest), SweepLayout.SummaryFile), summaryCsv);
        AtomicFile.WriteText(Path.Combine(SweepPath(manifest), SweepLayout.AggregateFile), aggregateCsv);
    }

    /// <summary>summary.csv, or aggregate.csv; null when not written yet.</summary>
    public string? ReadTable(SweepManifest manifest, bool aggregate = false)
    {
        string file = Path.Combine(SweepPath(manifest), aggregate ? SweepLayout.AggregateFile : SweepLayout.SummaryFile);
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    private static SweepManifest? TryRead(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            return SpecJson.Parse<SweepManifest>(File.ReadAllText(file));
        }
        catch (JsonException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
