using Grid.Client.Rendering;
using Grid.Engine.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid report SWEEP: runs the missing analyses and writes the sweep's self-contained report.html.</summary>
public sealed class ReportCommand(IAnsiConsole console) : Command<SweepReferenceSettings>
{
    public override int Execute(CommandContext context, SweepReferenceSettings settings, CancellationToken cancellationToken)
    {
        return FinishedReport.Render(console, ResolveDirectory(settings), cancellationToken) ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>A sweep directory given directly (e.g. results/quickstart-1a2b…), else a name or hash under --results.</summary>
    private static string ResolveDirectory(SweepReferenceSettings settings)
    {
        if (File.Exists(Path.Combine(settings.Sweep, SweepLayout.ManifestFile)))
        {
            return Path.GetFullPath(settings.Sweep);
        }

        var store = new SweepStore(settings.ResultsRoot);
        return store.SweepPath(store.Resolve(settings.Sweep));
    }
}
