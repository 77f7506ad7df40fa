using System.Globalization;
using System.Text.Json;
using Grid.Analysis.Findings;
using Grid.Analysis.Runs;

namespace Grid.Analysis.Reports;

/// <summary>
/// The connectivity and locality summaries of each series' representative iteration, one column per series: C^in,1
/// against the binomial of random pruning (connectivity-layer1.json), S^sc against the null models
/// (locality-summary.json), and the verdict of each finding.
/// </summary>
internal static class SideBySideSummary
{
    public sealed record Row(string Metric, IReadOnlyList<string> Values);

    public static IReadOnlyList<Row> Rows(IReadOnlyList<ComparisonSeries> series)
    {
        var connectivity = series.Select(s => Json(s, "connectivity", "connectivity-layer1.json")).ToList();
        var locality = series.Select(s => Json(s, "locality", "locality-summary.json")).ToList();
        var rows = new List<Row>
        {
            new("runs (seeds)", [.. series.Select(s => s.Runs.Count.ToString(CultureInfo.InvariantCulture))]),
            new("best validation accuracy, mean ± std over seeds (at u)", [.. series.Select(Best)]),
            new("representative: run, iteration, u", [.. series.Select(Representative)]),
            new("C^in,1 mean (binomial n0·u)", [.. connectivity.Select(c => Pair(c, "observed_mean", "binomial_mean"))]),
            new("C^in,1 variance (binomial)", [.. connectivity.Select(c => Pair(c, "observed_variance", "binomial_variance"))]),
            new("nodes above the binomial 99.9 % quantile", [.. series.Select(s => Number(s, ConnectivityTail.Key, "share_above_quantile", percent: true))]),
            new("mean S^sc distance, px", [.. locality.Select(l => Value(l, "observed", "mean_distance"))]),
            new("degree-preserving null, px (mean ± std)", [.. locality.Select(l => $"{Value(l, "degree_preserving", "mean", "mean_distance")} ± {Value(l, "degree_preserving", "standard_deviation", "mean_distance")}")]),
            new("ratio to the degree-preserving null (z)", [.. locality.Select(l => $"{Value(l, "ratios_vs_degree_preserving", "mean_distance")} ({Value(l, "z_scores_vs_degree_preserving", "mean_distance")})")]),
            new("random pruning, px (expected)", [.. locality.Select(l => Value(l, "random_pruning_expected", "mean_distance"))]),
            new("share of S^sc within |d| ≤ 1 (ratio to the null)", [.. locality.Select(l => $"{Value(l, "observed", "share_within_radius1")} ({Value(l, "ratios_vs_degree_preserving", "share_within_radius1")})")]),
        };
        foreach (var (key, name) in new[] { (AccuracyGain.Key, AccuracyGain.Name), (ConnectivityTail.Key, ConnectivityTail.Name), (LocalityAgainstNull.Key, LocalityAgainstNull.Name), (NodeRemovalOrder.Key, NodeRemovalOrder.Name) })
        {
            rows.Add(new Row($"verdict: {name}", [.. series.Select(s => s.Findings?.Findings.FirstOrDefault(f => f.Key == key) is { } f ? VerdictText.Of(f.Verdict) : "–")]));
        }

        return rows;
    }

    private static string Best(ComparisonSeries series) =>
        series.Curve?.Best() is { } best
            ? $"{Percent(best.AccuracyMean)} ± {Percent(best.AccuracyStd)} (u = {Finding.Percent(best.UnprunedFraction)})"
            : "–";

    private static string Representative(ComparisonSeries series) =>
        series.Representative is { } run && series.PrimaryIteration is { } iteration
            ? $"run {run.Manifest.Index}, iteration {iteration}, u = {Finding.Percent(run.Outcomes.First(o => o.Iteration == iteration).LayerUnprunedFractions[0])}"
            : "no pruned iteration yet";

    private static string Number(ComparisonSeries series, string key, string number, bool percent) =>
        series.Findings?.Findings.FirstOrDefault(f => f.Key == key)?.Numbers.GetValueOrDefault(number, double.NaN) is { } value && double.IsFinite(value)
            ? percent ? Percent(value) : value.ToString("G4", CultureInfo.InvariantCulture)
            : "–";

    /// <summary>The data file an analysis wrote for the representative's primary iteration, parsed; null when absent.</summary>
    private static JsonElement? Json(ComparisonSeries series, string analysis, string fileName)
    {
        if (series.Representative is not { } run || series.PrimaryIteration is not { } iteration
            || IterationAnalyses.Find(analysis, run.Directory, iteration) is not { } record)
        {
            return null;
        }

        string? file = record.DataFiles.Concat(record.Figures.Select(f => f.Data)).FirstOrDefault(f => f.EndsWith("/" + fileName, StringComparison.Ordinal) || f == fileName);
        return file is null ? null : JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Directory, file))).RootElement.Clone();
    }

    private static string Pair(JsonElement? json, string observed, string reference) =>
        $"{Value(json, observed)} ({Value(json, reference)})";

    private static string Value(JsonElement? json, params string[] path)
    {
        if (json is not { } element)
        {
            return "–";
        }

        foreach (string key in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
            {
                return "–";
            }
        }

        return element.ValueKind == JsonValueKind.Number ? element.GetDouble().ToString("G4", CultureInfo.InvariantCulture) : "–";
    }

    private static string Percent(double fraction) => (100 * fraction).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
