using System.Globalization;
using Grid.Analysis.Findings;
using Grid.Analysis.Runs;

namespace Grid.Analysis.Reports;

/// <summary>Lays out the comparison page: what is compared, findings, overlaid curves, summaries and figures side by side.</summary>
internal static class ComparisonPage
{
    public const string SeriesTableId = "compared";
    public const string SideBySideTableId = "side-by-side";

    public sealed record Content(IReadOnlyList<ComparisonSeries> Series, IReadOnlyList<ReportFigure> Overlays, DateTimeOffset Now, string FiguresDirectory);

    private static readonly (string Analysis, string File, string Title)[] Figures =
    [
        ("connectivity", "connectivity-layer1.png", "C in,1 histograms against the binomial of random pruning"),
        ("locality", "locality-ssc.png", "S sc(d)"),
    ];

    public static string Render(Content c, IReadOnlyList<LabelledRunFindings> findings)
    {
        var html = new Html();
        string title = $"Grid comparison: {string.Join(" vs ", c.Series.Select(s => s.Label))}";
        ReportPage.Head(html, title);
        html.Open("header").Element("h1", "Grid comparison")
            .Element("p", $"{c.Series.Count} series · written {c.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} · figures and numbers in {c.FiguresDirectory}", "muted")
            .Close("header");

        Compared(html, c.Series);

        html.Open("section", id: "findings").Element("h2", "Findings against the null models");
        html.Element("p", FindingsSummary.Of([.. findings.Select(f => f.Findings)]), "verdict-summary");
        FindingsSection.Table(html, findings, "comparison-findings");
        html.Element("p", "Measured at each series' representative run (its first) at its primary iteration: the best, or the last when the best is the dense network. Thresholds: docs/findings.md.", "note");
        html.Close("section");

        html.Open("section", id: "curves").Element("h2", "Accuracy vs u and training curves");
        if (c.Overlays.Count == 0)
        {
            html.Element("p", "No series has finished its dense iteration yet.", "note");
        }
        EmbeddedImage.Figures(html, c.Overlays);
        html.Close("section");

        html.Open("section", id: "side-by-side-section").Element("h2", "Connectivity and locality side by side");
        SideBySide(html, c.Series);
        foreach (var (analysis, file, heading) in Figures)
        {
            var figures = c.Series.Select(s => Figure(s, analysis, file)).OfType<ReportFigure>().ToList();
            if (figures.Count > 0)
            {
                html.Element("h3", heading);
                EmbeddedImage.Figures(html, figures, "figures compare");
            }
        }
        html.Close("section");

        ReportPage.Foot(html, c.Now);
        return html.ToString();
    }

    private static void Compared(Html html, IReadOnlyList<ComparisonSeries> series)
    {
        html.Open("section", id: "compared-section").Element("h2", "Compared");
        html.Open("div", "table-scroll").Open("table", id: SeriesTableId).Open("thead").Open("tr");
        foreach (string column in new[] { "series", "sweep", "runs", "findings" })
        {
            html.Element("th", column);
        }
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var s in series)
        {
            html.Open("tr")
                .Element("td", s.Label)
                .Element("td", $"{s.Manifest.Name} ({s.Manifest.Hash}) · {s.SweepDirectory}")
                .Element("td", string.Join(", ", s.Runs.Select(r => $"{r.Manifest.Index} {r.Hash} ({r.Status})")))
                .Element("td", s.Findings?.Headline ?? "no pruned iteration yet")
                .Close("tr");
        }
        html.Close("tbody").Close("table").Close("div").Close("section");
    }

    private static void SideBySide(Html html, IReadOnlyList<ComparisonSeries> series)
    {
        html.Open("div", "table-scroll").Open("table", id: SideBySideTableId).Open("thead").Open("tr").Element("th", "");
        foreach (var s in series)
        {
            html.Element("th", s.Label);
        }
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var row in SideBySideSummary.Rows(series))
        {
            html.Open("tr").Element("th", row.Metric);
            foreach (string value in row.Values)
            {
                html.Element("td", value, "num");
            }
            html.Close("tr");
        }
        html.Close("tbody").Close("table").Close("div");
    }

    private static ReportFigure? Figure(ComparisonSeries series, string analysis, string file)
    {
        if (series.Representative is not { } run || series.PrimaryIteration is not { } iteration
            || IterationAnalyses.Find(analysis, run.Directory, iteration) is not { } record
            || record.Figures.FirstOrDefault(f => f.Image.EndsWith("/" + file, StringComparison.Ordinal)) is not { } figure)
        {
            return null;
        }

        string image = Path.GetFullPath(Path.Combine(run.Directory, figure.Image));
        return new ReportFigure(image, Path.GetRelativePath(series.SweepDirectory, image).Replace('\\', '/'),
            $"{series.Label}: run {run.Manifest.Index}, iteration {iteration}. {figure.Caption}");
    }
}
