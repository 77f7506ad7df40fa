using System.Globalization;
using Grid.Analysis.Findings;
using Grid.Engine.Sweeps;

namespace Grid.Analysis.Reports;

/// <summary>Lays out the page: header, contents, sweep file, environment, summary, aggregates, comparisons, runs.</summary>
internal static class ReportPage
{
    public sealed record Content(
        string SweepDirectory,
        SweepManifest Manifest,
        IReadOnlyList<ReportRun> Runs,
        IReadOnlyDictionary<string, IReadOnlyList<ReportAnalysis>> Analyses,
        IReadOnlyList<ReportFigure> Aggregates,
        IReadOnlyDictionary<string, ReportFigure?> Curves,
        DateTimeOffset Now)
    {
        public IReadOnlyList<LabelledRunFindings> Findings { get; init; } = [];
        public string FindingsSummary { get; init; } = "";
    }

    public static string Render(Content c)
    {
        var html = new Html();
        string title = $"Grid sweep report: {c.Manifest.Name}";
        Head(html, title);

        html.Open("header").Element("h1", title)
            .Element("p", $"sweep {c.Manifest.Hash} · created {c.Manifest.Created.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} · "
                + $"{c.Runs.Count} runs, {c.Runs.Count(r => r.Finished)} finished · {c.SweepDirectory}", "muted");
        if (File.Exists(Path.Combine(c.SweepDirectory, SweepLayout.CancelledMarker)))
        {
            html.Element("p", "This sweep is cancelled: unfinished runs will not progress until it is submitted again.", "warning");
        }
        html.Close("header");

        bool comparisons = ComparisonSection.HasContent(c.Manifest.Axes, c.Runs);
        Contents(html, c, comparisons);
        FindingsSection.Write(html, c.Findings, c.FindingsSummary);
        SweepFile(html, c);
        Environment(html, c.Now);
        SummarySection.Write(html, c.SweepDirectory, c.Manifest, c.Runs);

        html.Open("section", id: "aggregates").Element("h2", "Accuracy vs u");
        if (c.Aggregates.Count == 0)
        {
            html.Element("p", "No run has finished its dense iteration yet.", "note");
        }
        EmbeddedImage.Figures(html, c.Aggregates);
        html.Close("section");

        if (comparisons)
        {
            html.Open("section", id: "comparisons").Element("h2", "Side by side per axis value");
            ComparisonSection.Write(html, c.Manifest.Axes, c.Runs, c.Analyses, c.SweepDirectory);
            html.Close("section");
        }

        html.Open("section", id: "runs").Element("h2", "Runs");
        foreach (ReportRun run in c.Runs)
        {
            RunSection.Write(html, run, c.Analyses.GetValueOrDefault(run.Hash) ?? [], c.Curves.GetValueOrDefault(run.Hash), c.SweepDirectory,
                c.Findings.FirstOrDefault(f => f.Run == run.Hash)?.Findings);
        }
        html.Close("section");

        Foot(html, c.Now);
        return html.ToString();
    }

    /// <summary>The document up to &lt;body&gt;: no network (CSP), inline style.</summary>
    public static void Head(Html html, string title) =>
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Raw("<meta http-equiv=\"Content-Security-Policy\"").Attribute("content", ReportStyle.ContentSecurityPolicy).Raw(">\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Element("title", title)
            .Raw("<style>\n").Raw(ReportStyle.Css).Raw("\n</style>\n</head>\n")
            .Raw("<body data-broken-images=\"pending\">\n");

    /// <summary>The footer, the image self-check and the end of the document.</summary>
    public static void Foot(Html html, DateTimeOffset now)
    {
        html.Open("footer").Element("p", $"Written by Grid at {now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}.", "note").Close("footer");
        html.Raw("<script>\n").Raw(ReportStyle.ImageCheckScript).Raw("\n</script>\n</body>\n</html>\n");
    }

    private static void Contents(Html html, Content c, bool comparisons)
    {
        html.Open("nav").Element("h2", "Contents").Open("ul");
        Link(html, "#" + FindingsSection.Id, "Findings against the null models");
        Link(html, "#sweep-file", "Sweep file");
        Link(html, "#environment", "Environment");
        Link(html, "#summary", "Summary");
        Link(html, "#aggregates", "Accuracy vs u");
        if (comparisons)
        {
            Link(html, "#comparisons", "Side by side per axis value");
        }
        foreach (ReportRun run in c.Runs)
        {
            Link(html, "#" + run.Anchor, $"run {run.Manifest.Index}: {run.Label}");
        }
        html.Close("ul").Close("nav");
    }

    private static void Link(Html html, string href, string text) =>
        html.Open("li").Open("a", attributes: ("href", href)).Text(text).Close("a").Close("li");

    private static void SweepFile(Html html, Content c)
    {
        string source = Path.Combine(c.SweepDirectory, SweepLayout.SourceFile);
        bool hasSource = File.Exists(source);
        string text = hasSource ? File.ReadAllText(source) : c.Manifest.Sweep.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        html.Open("section", id: "sweep-file").Element("h2", "Sweep file")
            .Element("p", hasSource ? SweepLayout.SourceFile : $"{SweepLayout.SourceFile} is missing; the canonical sweep from {SweepLayout.ManifestFile}:", "note")
            .Element("pre", text);
        if (c.Manifest.Analysis.Count > 0)
        {
            html.Element("p", $"Analyses: {string.Join(", ", c.Manifest.Analysis)}", "note");
        }
        html.Close("section");
    }

    private static void Environment(Html html, DateTimeOffset now)
    {
        html.Open("section", id: "environment").Element("h2", "Environment")
            .Element("p", "Where this report was written (the analyses it computed ran here too).", "note")
            .Open("table").Open("tbody");
        foreach (var (name, value) in ReportEnvironment.Describe(now))
        {
            html.Open("tr").Element("th", name).Element("td", value).Close("tr");
        }
        html.Close("tbody").Close("table").Close("section");
    }
}
