using System.Text.RegularExpressions;
using Grid.Analysis.Curves;
using Grid.Analysis.Pictures;

namespace Grid.Analysis.Reports;

/// <summary>
/// Accuracy and gain vs u over the sweep (paper Fig. 1a, 5, 17b, 19a), mean ± std over seeds, written to
/// &lt;sweep&gt;/report/: per axis other than seed, one series per value of that axis (runs of the other axes pooled);
/// with several such axes also one series per point of the matrix; without any, one series over all runs.
/// </summary>
internal static partial class SweepAggregates
{
    public const string SeedAxis = "seed";

    public static IReadOnlyList<ReportFigure> Write(string sweepDirectory, string reportDirectory, IReadOnlyList<string> axes, IReadOnlyList<ReportRun> runs)
    {
        var figures = new List<ReportFigure>();
        var started = runs.Where(r => r.Outcomes.Count > 0 && r.Outcomes[0].Iteration == 0).ToList();
        if (started.Count == 0)
        {
            return figures;
        }
        int[] grouping = [.. Enumerable.Range(0, axes.Count).Where(a => axes[a] != SeedAxis)];
        int seeds = axes.Contains(SeedAxis) ? started.Select(r => r.ValueOf(axes.ToList().IndexOf(SeedAxis))).Distinct().Count() : 1;
        string over = seeds > 1 ? $"mean ± std over {seeds} seeds" : "one seed";

        if (grouping.Length == 0)
        {
            figures.AddRange(Save(sweepDirectory, reportDirectory, "all", [Curve("all runs", started)], $"all runs, {over}"));
            return figures;
        }
        foreach (int axis in grouping)
        {
            var curves = started
                .GroupBy(r => r.ValueOf(axis))
                .Select(g => Curve($"{axes[axis]} = {g.Key}", [.. g]))
                .ToArray();
            string pooled = grouping.Length > 1 ? ", other axes pooled" : "";
            figures.AddRange(Save(sweepDirectory, reportDirectory, axes[axis], curves, $"by {axes[axis]}, {over}{pooled}"));
        }
        if (grouping.Length > 1)
        {
            var curves = started
                .GroupBy(r => string.Join(", ", grouping.Select(a => $"{axes[a]} = {r.ValueOf(a)}")))
                .Select(g => Curve(g.Key, [.. g]))
                .ToArray();
            figures.AddRange(Save(sweepDirectory, reportDirectory, "matrix", curves, $"by point of the matrix, {over}"));
        }
        return figures;
    }

    /// <summary>Runs are keyed by their index, so that gains are taken against each run's own iteration 0.</summary>
    private static AccuracyCurve Curve(string label, IReadOnlyList<ReportRun> runs) =>
        AccuracyCurve.Aggregate(label, [.. runs.Select(r => new SeedRun(r.Manifest.Index,
            [.. r.Outcomes.Select(o => new IterationAccuracy(o.Iteration, o.UnprunedFraction, o.BestValAccuracy))]))]);

    private static IEnumerable<ReportFigure> Save(string sweepDirectory, string reportDirectory, string key, IReadOnlyList<AccuracyCurve> curves, string description)
    {
        string safe = SafeName().Replace(key, "_");
        var accuracy = AccuracyFigure.Save(Path.Combine(reportDirectory, $"accuracy-{safe}"), curves, AccuracyQuantity.BestAccuracy,
            $"Best validation accuracy vs u, {description}");
        var gain = AccuracyFigure.Save(Path.Combine(reportDirectory, $"gain-{safe}"), curves, AccuracyQuantity.Gain,
            $"Gain over iteration 0 vs u, {description}");
        yield return new ReportFigure(accuracy.ImagePath, Relative(sweepDirectory, accuracy.ImagePath), $"Best validation accuracy vs u, {description}");
        yield return new ReportFigure(gain.ImagePath, Relative(sweepDirectory, gain.ImagePath), $"Gain in best validation accuracy over the dense network vs u, {description}");
    }

    public static string Relative(string sweepDirectory, string path) => Path.GetRelativePath(sweepDirectory, path).Replace('\\', '/');

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex SafeName();
}
