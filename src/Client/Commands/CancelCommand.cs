using Grid.Client.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid cancel SWEEP: stop every run of a sweep; finished iterations stay.</summary>
public sealed class CancelCommand(IAnsiConsole console) : AsyncCommand<SweepReferenceSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SweepReferenceSettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await Connections.ClusterAsync(settings, cancellationToken);
        var sweep = await connection.Client.GetGrain<ISweepCatalogGrain>(GrainKeys.Singleton).Resolve(settings.Sweep);
        var status = await connection.Client.GetGrain<ISweepGrain>(sweep.Hash).Cancel();
        StatusView.Runs(console, status);
        console.MarkupLine(status.State == SweepState.Finished
            ? "The sweep had already finished."
            : $"[yellow]Cancelled.[/] {status.FinishedIterations} finished iterations are kept; `grid run` with the same spec resumes.");
        return ExitCodes.Ok;
    }
}
