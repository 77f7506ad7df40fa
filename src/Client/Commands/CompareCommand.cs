using System.Text.RegularExpressions;
using Grid.Analysis.Reports;
using Grid.Client.Rendering;
using Grid.Engine.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid compare A B ...: one HTML page over sweeps or runs (see <see cref="ComparisonReport"/>).</summary>
public sealed partial class CompareCommand(IAnsiConsole console) : Command<CompareSettings>
{
    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();

    public override int Execute(CommandContext context, CompareSettings settings, CancellationToken cancellationToken)
    {
        var references = new ComparisonReferences(settings.ResultsRoot);
        var items = new List<(string Reference, ComparedSweep Item, string Name)>();
        foreach (string reference in settings.References)
        {
            try
            {
                var (item, name) = references.Resolve(reference);
                items.Add((reference, item, name));
            }
            catch (KeyNotFoundException error)
            {
                ErrorView.Problem(console, error.Message);
                return ExitCodes.InvalidInput;
            }
        }

        string output = settings.Output ?? Path.Combine(settings.ResultsRoot, DefaultName(items.Select(i => i.Name)));
        ComparisonResult? result = null;
        try
        {
            console.Status().Start("comparing...", status =>
            {
                var progress = new Progress<string>(message => status.Status(Format.Escape(message)));
                result = ComparisonReport.Write([.. items.Select(i => i.Item)], output, new SweepReportOptions { Progress = progress }, cancellationToken);
            });
        }
        catch (CorruptResultsException corrupt)
        {
            ErrorView.CorruptResults(console, string.Join(", ", settings.References), corrupt.Problems);
            console.MarkupLine("[red]Nothing was written.[/]");
            return ExitCodes.Failure;
        }

        foreach (var series in result!.Findings)
        {
            console.MarkupLine($"  [grey]• {Format.Escape(series.Label)}:[/] {Format.Escape(series.Findings.Headline)}");
        }

        console.MarkupLine($"comparison: [blue]{Format.Escape(result.Path)}[/]");
        return ExitCodes.Ok;
    }

    /// <summary>compare-&lt;a&gt;-vs-&lt;b&gt;....html, cut to a sane length.</summary>
    private static string DefaultName(IEnumerable<string> names)
    {
        string joined = Unsafe().Replace(string.Join("-vs-", names), "_");
        return $"compare-{(joined.Length > 100 ? joined[..100] : joined)}.html";
    }
}
