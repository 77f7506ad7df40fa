using Grid.Analysis.Reports;
using Grid.Engine.Sweeps;

namespace Grid.Client.Commands;

/// <summary>
/// What `grid compare` is given, resolved against a results directory: a sweep (directory, name, hash or hash prefix),
/// a run (SWEEP/RUN, a run directory, or a run hash or prefix that only one sweep has). An unknown or ambiguous
/// reference is a <see cref="KeyNotFoundException"/> naming it and what it could have been.
/// </summary>
public sealed class ComparisonReferences(string resultsRoot)
{
    private const int MinimumPrefix = 4;
    private readonly SweepStore _store = new(resultsRoot);

    /// <returns>The sweep (and run) to compare, and a short name for the page's file name.</returns>
    public (ComparedSweep Item, string Name) Resolve(string reference)
    {
        string trimmed = reference.Trim().TrimEnd('/');
        if (File.Exists(Path.Combine(trimmed, SweepLayout.ManifestFile)))
        {
            var manifest = SpecJson(Path.Combine(trimmed, SweepLayout.ManifestFile));
            return (new ComparedSweep(Path.GetFullPath(trimmed)), manifest.Name);
        }

        // <sweep>/runs/<run>: a run directory
        string? runsDirectory = Path.GetDirectoryName(Path.GetFullPath(trimmed));
        if (Directory.Exists(trimmed) && runsDirectory is not null && Path.GetFileName(runsDirectory) == SweepLayout.RunsDirectory
            && Path.GetDirectoryName(runsDirectory) is { } sweepDirectory && File.Exists(Path.Combine(sweepDirectory, SweepLayout.ManifestFile)))
        {
            var manifest = SpecJson(Path.Combine(sweepDirectory, SweepLayout.ManifestFile));
            return Run(sweepDirectory, manifest, Path.GetFileName(trimmed), reference);
        }

        var sweeps = _store.List();
        if (trimmed.Contains('/'))
        {
            int slash = trimmed.LastIndexOf('/');
            var manifest = SweepStore.Resolve(sweeps, trimmed[..slash]);
            return Run(_store.SweepPath(manifest), manifest, trimmed[(slash + 1)..], reference);
        }

        try
        {
            var manifest = SweepStore.Resolve(sweeps, trimmed);
            return (new ComparedSweep(_store.SweepPath(manifest)), manifest.Name);
        }
        catch (KeyNotFoundException) when (trimmed.Length >= MinimumPrefix)
        {
            var owners = sweeps.Where(s => s.Runs.Any(r => r.Hash.StartsWith(trimmed, StringComparison.Ordinal))).ToList();
            return owners.Count switch
            {
                1 => Run(_store.SweepPath(owners[0]), owners[0], trimmed, reference),
                0 => throw new KeyNotFoundException($"'{reference}': no sweep or run of that name or hash in {_store.Root} (sweeps: {string.Join(", ", sweeps.Select(s => s.Directory).DefaultIfEmpty("none"))})"),
                _ => throw new KeyNotFoundException($"'{reference}': runs of several sweeps start so ({string.Join(", ", owners.Select(s => s.Directory))}); write SWEEP/RUN"),
            };
        }
    }

    private static (ComparedSweep, string) Run(string sweepDirectory, SweepManifest manifest, string run, string reference)
    {
        var matches = manifest.Runs.Where(r => r.Hash == run || (run.Length >= MinimumPrefix && r.Hash.StartsWith(run, StringComparison.Ordinal))).ToList();
        return matches.Count switch
        {
            1 => (new ComparedSweep(Path.GetFullPath(sweepDirectory), [matches[0].Hash]), $"{manifest.Name}-run{matches[0].Index}"),
            0 => throw new KeyNotFoundException($"'{reference}': sweep {manifest.Directory} has no run '{run}' (runs: {string.Join(", ", manifest.Runs.Select(r => $"{r.Index} {r.Hash}"))})"),
            _ => throw new KeyNotFoundException($"'{reference}': several runs of {manifest.Directory} start with '{run}'; give more of the hash"),
        };
    }

    private static SweepManifest SpecJson(string file) => Engine.Specs.SpecJson.Parse<SweepManifest>(File.ReadAllText(file));
}
