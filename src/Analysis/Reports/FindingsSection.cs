using Grid.Analysis.Findings;

namespace Grid.Analysis.Reports;

/// <summary>
/// The paper's findings against their null models, for every run: one summary sentence, each run's headline, and a
/// table of every measured number with its null and verdict (docs/findings.md gives the thresholds).
/// </summary>
internal static class FindingsSection
{
    public const string Id = "findings";
    public const string TableId = "findings-table";

    public static void Write(Html html, IReadOnlyList<LabelledRunFindings> runs, string summary)
    {
        html.Open("section", id: Id).Element("h2", "Findings against the null models");
        html.Element("p", summary, "verdict-summary");
        if (runs.Count > 1)
        {
            html.Open("ul");
            foreach (var run in runs)
            {
                html.Element("li", $"run {run.Index} ({run.Label}): {run.Findings.Headline}");
            }
            html.Close("ul");
        }

        Table(html, runs, TableId);
        html.Element("p", "Each finding of the paper is measured against the null model that would produce it by chance: the accuracy gain against "
            + "the sampling noise of the validation accuracy, the C^in tail against the binomial of random pruning, local connectivity against a "
            + "degree-preserving shuffle of the same mask, node removal against the other removal order. Structural findings are measured at each "
            + "run's best iteration and at its last. Thresholds: docs/findings.md.", "note");
        html.Close("section");
    }

    /// <summary>One row per finding: run, iteration, u, the finding, the number against its null, the verdict.</summary>
    public static void Table(Html html, IReadOnlyList<LabelledRunFindings> runs, string? id = null)
    {
        html.Open("div", "table-scroll").Open("table", "findings", id).Open("thead").Open("tr");
        foreach (string column in new[] { "run", "iteration", "u", "finding", "measured against the null", "verdict" })
        {
            html.Element("th", column);
        }
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var run in runs)
        {
            foreach (var finding in run.Findings.Findings)
            {
                html.Open("tr")
                    .Element("td", $"{run.Index} ({run.Label})")
                    .Element("td", finding.Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture), "num")
                    .Element("td", Finding.Percent(finding.UnprunedFraction), "num")
                    .Element("td", $"{finding.Name} ({finding.Figure})")
                    .Element("td", finding.Measured)
                    .Element("td", VerdictText.Of(finding.Verdict), "verdict-" + VerdictText.Key(finding.Verdict).Replace('_', '-'))
                    .Close("tr");
            }
        }
        html.Close("tbody").Close("table").Close("div");
    }

    /// <summary>A run's verdict lines at one iteration, as a list (in the run's section).</summary>
    public static void Lines(Html html, IEnumerable<Finding> findings)
    {
        var list = findings.ToList();
        if (list.Count == 0)
        {
            return;
        }

        html.Open("ul", "verdicts");
        foreach (var finding in list)
        {
            html.Open("li", "verdict-" + VerdictText.Key(finding.Verdict).Replace('_', '-')).Text(finding.Line).Close("li");
        }
        html.Close("ul");
    }
}
