using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Analysis.Reports;

/// <summary>One run of the sweep as the report sees it: its manifest entry, spec, directory and finished iterations.</summary>
internal sealed record ReportRun(ManifestRun Manifest, IReadOnlyList<string> Axes, ExperimentSpec? Spec, string Directory, IReadOnlyList<IterationOutcome> Outcomes)
{
    /// <summary>The first finished iteration whose files do not verify (<see cref="Outcomes"/> stop before it).</summary>
    public IntegrityProblem? Problem { get; init; }

    public string Hash => Manifest.Hash;

    /// <summary>"field=value …" over the sweep's axes, or "base" for a sweep without a matrix.</summary>
    public string Label => Axes.Count == 0
        ? "base"
        : string.Join(", ", Axes.Select((axis, i) => $"{axis} = {(i < Manifest.Values.Count ? Manifest.Values[i] : "?")}"));

    public string Anchor => "run-" + Hash;

    public IterationOutcome? Last => Outcomes.Count > 0 ? Outcomes[^1] : null;

    /// <summary>The iteration with the highest best validation accuracy (the earliest on ties).</summary>
    public IterationOutcome? Best => Outcomes.Count > 0 ? Outcomes.MaxBy(o => o.BestValAccuracy) : null;

    public bool Finished => Last?.IsLast == true;

    /// <summary>The iterations whose analyses the report shows: the last, and the best when different.</summary>
    public IReadOnlyList<int> ShownIterations =>
        Last is null ? [] : Best!.Iteration == Last.Iteration ? [Last.Iteration] : [Last.Iteration, Best.Iteration];

    public string ValueOf(int axis) => axis < Manifest.Values.Count ? Manifest.Values[axis] : "";

    public string Status => Outcomes.Count == 0 ? "not started" : Finished ? "finished" : $"in progress ({Outcomes.Count} iterations finished)";

    /// <summary>The runs of a sweep directory, with specs recompiled from the manifest (or read from each run's spec.json)
    /// and their finished iterations verified against the checksums each recorded.</summary>
    /// <param name="include">The runs to load (all when null): the others are neither read nor verified.</param>
    public static IReadOnlyList<ReportRun> Load(string sweepDirectory, SweepManifest manifest, Func<ManifestRun, bool>? include = null)
    {
        var specs = new Dictionary<string, ExperimentSpec>(StringComparer.Ordinal);
        SweepCompilation compilation = SweepStore.Compile(manifest);
        if (compilation.IsValid)
        {
            foreach (RunPlan plan in compilation.Runs)
            {
                specs[plan.Hash] = plan.Spec;
            }
        }
        var runs = new List<ReportRun>();
        foreach (ManifestRun entry in manifest.Runs.Where(r => include?.Invoke(r) ?? true).OrderBy(r => r.Index))
        {
            string directory = Path.GetFullPath(Path.Combine(sweepDirectory, entry.Directory));
            var run = new RunDirectory(directory);
            ExperimentSpec? spec = specs.GetValueOrDefault(entry.Hash)
                ?? (File.Exists(run.SpecFile) ? SpecJson.Parse<ExperimentSpec>(File.ReadAllText(run.SpecFile)) : null);
            var check = RunIntegrity.Check(directory, IntegrityDepth.Full);
            runs.Add(new ReportRun(entry, manifest.Axes, spec, directory, check.Valid) { Problem = check.Problem });
        }
        return runs;
    }
}
