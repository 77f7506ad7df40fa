using System.Globalization;
using Grid.Analysis.Findings;
using Grid.Analysis.Runs;
using Grid.Engine.Runs;

namespace Grid.Analysis.Reports;

/// <summary>
/// One collapsible section per run: its iterations, its training curves, the figures of the analyses of its last
/// (and best) iteration, and the per-run analyses.
/// </summary>
internal static class RunSection
{
    public static void Write(Html html, ReportRun run, IReadOnlyList<ReportAnalysis> analyses, ReportFigure? curves, string sweepDirectory, RunFindings? findings = null)
    {
        html.Open("details", id: run.Anchor).Open("summary")
            .Text($"#{run.Manifest.Index} {run.Label} ")
            .Open("span", "muted").Text(Headline(run)).Close("span")
            .Close("summary");
        if (run.Spec is null)
        {
            html.Element("p", "The run's specification could not be recovered (manifest does not compile and no spec.json).", "warning");
        }
        if (run.Last is null)
        {
            html.Element("p", "No finished iteration yet.", "note").Close("details");
            return;
        }
        IterationTable(html, run);
        if (curves is not null)
        {
            EmbeddedImage.Figures(html, [curves]);
        }
        foreach (int iteration in run.ShownIterations)
        {
            IterationOutcome outcome = run.Outcomes.First(o => o.Iteration == iteration);
            string title = (iteration == run.Last.Iteration ? "Last iteration" : "Best iteration")
                + (iteration == run.Best!.Iteration && iteration == run.Last.Iteration ? " (also the best)" : "")
                + $" {iteration}: u = {RunFigures.Percent(outcome.UnprunedFraction)}, best validation accuracy {RunFigures.Percent(outcome.BestValAccuracy)}";
            html.Element("h3", title);
            FindingsSection.Lines(html, findings?.Findings.Where(f => f.Iteration == iteration) ?? []);
            var here = analyses.Where(a => a.Iteration == iteration && !IsPerRun(a.Name)).ToList();
            Problems(html, here);
            EmbeddedImage.Figures(html, here.SelectMany(a => RunFigures.Of(a, sweepDirectory)));
            foreach (ReportAnalysis locality in here.Where(a => a.Result?.Record is not null))
            {
                foreach (string data in locality.Result!.Record!.DataFiles.Where(f => f.EndsWith("locality-summary.json", StringComparison.Ordinal)))
                {
                    LocalityTable.Write(html, locality.Result.Absolute(data), $"Locality of layer 1 vs null models, iteration {iteration}");
                }
            }
        }
        var perRun = analyses.Where(a => IsPerRun(a.Name)).ToList();
        if (perRun.Count > 0)
        {
            html.Element("h3", "Across iterations");
            Problems(html, perRun);
            EmbeddedImage.Figures(html, perRun.SelectMany(a => RunFigures.Of(a, sweepDirectory)));
        }
        html.Close("details");
    }

    private static bool IsPerRun(string name) => IterationAnalyses.IsKnown(name) && IterationAnalyses.Get(name).Scope == AnalysisScope.Run;

    private static string Headline(ReportRun run) => run.Best is null
        ? $"{run.Hash} · {run.Status}"
        : $"{run.Hash} · {run.Status} · best {RunFigures.Percent(run.Best.BestValAccuracy)} at iteration {run.Best.Iteration} (u = {RunFigures.Percent(run.Best.UnprunedFraction)})";

    private static void Problems(Html html, IEnumerable<ReportAnalysis> analyses)
    {
        foreach (ReportAnalysis analysis in analyses)
        {
            if (analysis.Error is not null)
            {
                html.Element("p", $"Analysis '{analysis.Name}' failed: {analysis.Error}", "warning");
            }
            else if (analysis.Result is { Status: AnalysisStatus.NotApplicable, Note: { } reason })
            {
                html.Element("p", $"{analysis.Name}: {reason}.", "note");
            }
            else if (analysis.Result?.Record?.Note is { } note)
            {
                html.Element("p", $"{analysis.Name}: {note}", "note");
            }
        }
    }

    private static void IterationTable(Html html, ReportRun run)
    {
        html.Open("div", "table-scroll").Open("table", "iterations").Open("thead").Open("tr");
        foreach (string column in new[] { "iteration", "u", "u per layer", "best val. accuracy", "best val. top-5", "best step", "train s", "stop" })
        {
            html.Element("th", column);
        }
        html.Close("tr").Close("thead").Open("tbody");
        foreach (IterationOutcome o in run.Outcomes)
        {
            html.Open("tr", o.Iteration == run.Best!.Iteration ? "best" : null)
                .Element("td", o.Iteration.ToString(CultureInfo.InvariantCulture), "num")
                .Element("td", RunFigures.Percent(o.UnprunedFraction), "num")
                .Element("td", string.Join(" / ", o.LayerUnprunedFractions.Select(RunFigures.Percent)))
                .Element("td", RunFigures.Percent(o.BestValAccuracy), "num")
                .Element("td", RunFigures.Percent(o.BestValTop5), "num")
                .Element("td", o.BestStep.ToString(CultureInfo.InvariantCulture), "num")
                .Element("td", o.TrainSeconds.ToString("0.#", CultureInfo.InvariantCulture), "num")
                .Element("td", o.StopReason ?? "")
                .Close("tr");
        }
        html.Close("tbody").Close("table").Close("div");
    }
}
