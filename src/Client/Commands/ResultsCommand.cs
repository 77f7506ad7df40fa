using Grid.Client.Rendering;
using Grid.Engine.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid results SWEEP: summary.csv (or aggregate.csv) as a table.</summary>
public sealed class ResultsCommand(IAnsiConsole console) : AsyncCommand<ResultsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ResultsSettings settings, CancellationToken cancellationToken)
    {
        var (source, connection) = await Connections.SourceAsync(settings, cancellationToken);
        await using (connection)
        {
            var (sweep, csv) = await source.TableAsync(settings.Sweep, settings.Aggregate);
            var problems = await source.VerifyAsync(settings.Sweep);
            string file = Path.Combine(sweep.Directory, settings.Aggregate ? SweepLayout.AggregateFile : SweepLayout.SummaryFile);
            if (csv is null)
            {
                console.MarkupLine($"No results yet for {Format.Escape(sweep.Name)} ({Format.Escape(file)} not written).");
            }
            else if (settings.Csv)
            {
                console.Profile.Out.Writer.Write(csv);
            }
            else
            {
                ResultsView.Render(console, sweep, csv, file);
            }

            if (problems.Count > 0)
            {
                // After the table (or on stderr with --csv, so that the CSV stays clean): the rows are not to be trusted.
                ErrorView.CorruptResults(settings.Csv ? ErrorView.Stderr : console, sweep.Name, problems);
                return ExitCodes.Failure;
            }
        }

        return ExitCodes.Ok;
    }
}
