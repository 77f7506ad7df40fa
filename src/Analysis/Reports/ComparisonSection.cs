using Grid.Analysis.Runs;

namespace Grid.Analysis.Reports;

/// <summary>
/// Side by side per value of each axis other than seed (paper Fig. 5, 7d, 17c/d, 19c/d): the C^{in,1} histogram,
/// S^sc and the most connected masks at the best iteration of one representative run per value (the first run of
/// the matrix with that value, i.e. the first seed).
/// </summary>
internal static class ComparisonSection
{
    private static readonly (string Analysis, string File, string Title)[] Kinds =
    [
        ("connectivity", "connectivity-layer1.png", "C in,1 histograms"),
        ("locality", "locality-ssc.png", "S sc(d)"),
        ("masks", "masks-layer1.png", "Most connected layer-1 masks"),
    ];

    public static bool HasContent(IReadOnlyList<string> axes, IReadOnlyList<ReportRun> runs) =>
        Axes(axes, runs).Any();

    public static void Write(Html html, IReadOnlyList<string> axes, IReadOnlyList<ReportRun> runs,
        IReadOnlyDictionary<string, IReadOnlyList<ReportAnalysis>> analyses, string sweepDirectory)
    {
        foreach (int axis in Axes(axes, runs))
        {
            var representatives = runs
                .Where(r => r.Best is not null)
                .GroupBy(r => r.ValueOf(axis))
                .Select(g => g.First())
                .ToList();
            html.Element("h3", $"By {axes[axis]} (best iteration of the first run of each value)");
            foreach (var (analysis, file, title) in Kinds)
            {
                var figures = representatives
                    .Select(run => Find(run, analyses, analysis, file, sweepDirectory, $"{axes[axis]} = {run.ValueOf(axis)}"))
                    .OfType<ReportFigure>()
                    .ToList();
                if (figures.Count < 2)
                {
                    continue;
                }
                html.Element("h4", title);
                EmbeddedImage.Figures(html, figures, "figures compare");
            }
        }
    }

    /// <summary>Axes other than seed on which at least two values have a finished iteration.</summary>
    private static IEnumerable<int> Axes(IReadOnlyList<string> axes, IReadOnlyList<ReportRun> runs) =>
        Enumerable.Range(0, axes.Count).Where(a => axes[a] != SweepAggregates.SeedAxis
            && runs.Where(r => r.Best is not null).Select(r => r.ValueOf(a)).Distinct().Count() > 1);

    private static ReportFigure? Find(ReportRun run, IReadOnlyDictionary<string, IReadOnlyList<ReportAnalysis>> analyses,
        string analysis, string file, string sweepDirectory, string label)
    {
        if (!analyses.TryGetValue(run.Hash, out var results))
        {
            return null;
        }
        ReportAnalysis? found = results.FirstOrDefault(a => a.Name == analysis && a.Iteration == run.Best!.Iteration && a.Result?.Record is not null);
        AnalysisFigure? figure = found?.Result!.Record!.Figures.FirstOrDefault(f => f.Image.EndsWith("/" + file, StringComparison.Ordinal));
        if (figure is null)
        {
            return null;
        }
        string image = found!.Result!.Absolute(figure.Image);
        return new ReportFigure(image, SweepAggregates.Relative(sweepDirectory, image),
            $"{label}: run {run.Manifest.Index}, iteration {run.Best!.Iteration} (u = {RunFigures.Percent(run.Best.UnprunedFraction)}). {figure.Caption}");
    }
}
