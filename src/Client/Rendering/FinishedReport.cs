using Grid.Analysis.Reports;
using Spectre.Console;

namespace Grid.Client.Rendering;

/// <summary>Runs a sweep's missing analyses and writes its report.html, with a spinner showing the step.</summary>
public static class FinishedReport
{
    public static void Render(IAnsiConsole console, string sweepDirectory, CancellationToken cancellationToken)
    {
        string report = "";
        console.Status().Start("analysing and rendering the report...", status =>
        {
            var progress = new Progress<string>(message => status.Status(Format.Escape(message)));
            report = SweepReport.Write(sweepDirectory, new SweepReportOptions { Progress = progress }, cancellationToken);
        });
        console.MarkupLine($"report: [blue]{Format.Escape(report)}[/]");
    }
}
