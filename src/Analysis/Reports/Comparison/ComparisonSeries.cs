using Grid.Analysis.Curves;
using Grid.Analysis.Findings;
using Grid.Engine.Sweeps;

namespace Grid.Analysis.Reports;

/// <summary>
/// One line of a comparison: a run, or the runs of a sweep that differ only in their seed (a point of its matrix, or
/// the whole sweep without other axes). Its accuracy curve is the mean ± std over those runs; its structure is shown by
/// a representative, the first of them (by index) at its primary iteration.
/// </summary>
internal sealed record ComparisonSeries(string Label, string SweepDirectory, SweepManifest Manifest, IReadOnlyList<ReportRun> Runs)
{
    public ReportRun? Representative => Runs.FirstOrDefault(r => r.Best is not null && r.Spec is not null);

    /// <summary>Runs whose dense iteration has finished (the accuracy curve needs it for the gain).</summary>
    public IReadOnlyList<ReportRun> Started => [.. Runs.Where(r => r.Outcomes.Count > 0 && r.Outcomes[0].Iteration == 0)];

    public AccuracyCurve? Curve => Started.Count == 0
        ? null
        : AccuracyCurve.Aggregate(Label, [.. Started.Select(r => new SeedRun(r.Manifest.Index,
            [.. r.Outcomes.Select(o => new IterationAccuracy(o.Iteration, o.UnprunedFraction, o.BestValAccuracy))]))]);

    /// <summary>Set once the representative's analyses have run.</summary>
    public RunFindings? Findings { get; init; }

    public int? PrimaryIteration => Representative is { } run ? RunFindings.PrimaryOf(run.Outcomes) : null;

    /// <summary>The series of one compared sweep: one per run when runs were named, else one per point of the matrix
    /// other than the seed (the whole sweep when it has no other axis).</summary>
    public static IEnumerable<ComparisonSeries> Of(string sweepDirectory, SweepManifest manifest, IReadOnlyList<ReportRun> runs, bool byRun)
    {
        if (byRun)
        {
            return runs.Select(r => new ComparisonSeries($"{manifest.Name} run {r.Manifest.Index} ({r.Label})", sweepDirectory, manifest, [r]));
        }

        int[] grouping = [.. Enumerable.Range(0, manifest.Axes.Count).Where(a => manifest.Axes[a] != SweepAggregates.SeedAxis)];
        return runs
            .GroupBy(r => string.Join(", ", grouping.Select(a => $"{manifest.Axes[a]} = {r.ValueOf(a)}")))
            .Select(g => new ComparisonSeries(g.Key.Length == 0 ? manifest.Name : $"{manifest.Name}: {g.Key}", sweepDirectory, manifest, [.. g]));
    }
}
