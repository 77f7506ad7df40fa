using Grid.Client.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid watch SWEEP: live progress of a sweep in a running cluster (resumes it if it is idle).</summary>
public sealed class WatchCommand(IAnsiConsole console) : AsyncCommand<SweepReferenceSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SweepReferenceSettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await Connections.ClusterAsync(settings, cancellationToken);
        var sweep = await connection.Client.GetGrain<ISweepCatalogGrain>(GrainKeys.Singleton).Resolve(settings.Sweep);
        var coordinator = connection.Client.GetGrain<ISweepGrain>(sweep.Hash);
        try
        {
            var final = await ProgressView.WatchAsync(console, coordinator.GetStatus, cancellationToken);
            StatusView.Runs(console, final);
            return final.State == SweepState.Finished ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]Stopped watching[/] (the sweep goes on).");
            return ExitCodes.Interrupted;
        }
    }
}
