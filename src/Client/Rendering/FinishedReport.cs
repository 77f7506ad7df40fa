using Grid.Analysis.Reports;
using Grid.Engine.Runs;
using Spectre.Console;

namespace Grid.Client.Rendering;

/// <summary>Runs a sweep's missing analyses and writes its report.html, with a spinner showing the step.</summary>
public static class FinishedReport
{
    /// <summary>False (after saying which files) when finished iterations do not verify: then nothing was written.</summary>
    public static bool Render(IAnsiConsole console, string sweepDirectory, CancellationToken cancellationToken)
    {
        string report = "";
        try
        {
            console.Status().Start("analysing and rendering the report...", status =>
            {
                var progress = new Progress<string>(message => status.Status(Format.Escape(message)));
                report = SweepReport.Write(sweepDirectory, new SweepReportOptions { Progress = progress }, cancellationToken);
            });
        }
        catch (CorruptResultsException corrupt)
        {
            ErrorView.CorruptResults(console, Path.GetFileName(Path.TrimEndingDirectorySeparator(sweepDirectory)), corrupt.Problems);
            console.MarkupLine("[red]No report was written.[/]");
            return false;
        }

        console.MarkupLine($"report: [blue]{Format.Escape(report)}[/]");
        return true;
    }
}
