using Grid.Engine.Sweeps;

namespace Grid.Engine.Runs;

/// <summary>The integrity problems of every run of a sweep (see <see cref="RunIntegrity"/>), one line each.</summary>
public static class SweepIntegrity
{
    public static IReadOnlyList<string> Problems(string sweepDirectory, SweepManifest manifest, IntegrityDepth depth) =>
    [
        .. manifest.Runs.OrderBy(r => r.Index)
            .Select(r => (Run: r, Check: RunIntegrity.Check(Path.Combine(sweepDirectory, r.Directory), depth)))
            .Where(x => x.Check.Problem is not null)
            .Select(x => Describe(x.Run, x.Check.Problem!)),
    ];

    /// <summary>"run 3 (hash) iteration 1: /…/iter-001/mask.npz: 100 bytes, but …".</summary>
    public static string Describe(ManifestRun run, IntegrityProblem problem) =>
        $"run {run.Index} ({run.Hash}) iteration {problem.Iteration}: {problem}";
}

/// <summary>Finished iterations that do not verify; each problem names the run, the iteration and the file.</summary>
public sealed class CorruptResultsException(IReadOnlyList<string> problems)
    : Exception($"{problems.Count} run(s) have finished iterations that do not verify: {string.Join("; ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
