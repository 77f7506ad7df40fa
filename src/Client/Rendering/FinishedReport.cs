using Grid.Analysis.Reports;
using Grid.Engine.Runs;
using Spectre.Console;

namespace Grid.Client.Rendering;

/// <summary>Runs a sweep's missing analyses and writes its report.html, with a spinner showing the step.</summary>
public static class FinishedReport
{
    /// <summary>Sweeps of more runs get only the summary sentence in the terminal (every run's is in the report).</summary>
    private const int MaxRunLines = 16;

    /// <summary>False (after saying which files) when finished iterations do not verify: then nothing was written.</summary>
    public static bool Render(IAnsiConsole console, string sweepDirectory, CancellationToken cancellationToken)
    {
        SweepReportResult? report = null;
        try
        {
            console.Status().Start("analysing and rendering the report...", status =>
            {
                var progress = new Progress<string>(message => status.Status(Format.Escape(message)));
                report = SweepReport.Create(sweepDirectory, new SweepReportOptions { Progress = progress }, cancellationToken);
            });
        }
        catch (CorruptResultsException corrupt)
        {
            ErrorView.CorruptResults(console, Path.GetFileName(Path.TrimEndingDirectorySeparator(sweepDirectory)), corrupt.Problems);
            console.MarkupLine("[red]No report was written.[/]");
            return false;
        }

        // The verdicts, not only the pictures: what the sweep shows of the paper's findings (docs/findings.md).
        console.MarkupLine($"findings: {Format.Escape(report!.FindingsSummary)}");
        if (report.Findings.Count == 1 && report.Findings[0].Findings.PrimaryIteration is { } primary)
        {
            foreach (var finding in report.Findings[0].Findings.Findings.Where(f => f.Iteration == primary || f.Key == Analysis.Findings.AccuracyGain.Key))
            {
                console.MarkupLine($"  [grey]•[/] {Format.Escape(finding.Line)}");
            }
        }
        else if (report.Findings.Count <= MaxRunLines)
        {
            foreach (var run in report.Findings)
            {
                console.MarkupLine($"  [grey]• run {run.Index} ({Format.Escape(run.Label)}):[/] {Format.Escape(run.Findings.Headline)}");
            }
        }

        console.MarkupLine($"report: [blue]{Format.Escape(report.Path)}[/]");
        return true;
    }
}
