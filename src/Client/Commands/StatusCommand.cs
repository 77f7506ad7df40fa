using Grid.Client.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid status [SWEEP]: one sweep's runs, or all sweeps.</summary>
public sealed class StatusCommand(IAnsiConsole console) : AsyncCommand<StatusSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StatusSettings settings, CancellationToken cancellationToken)
    {
        var (source, connection) = await Connections.SourceAsync(settings, cancellationToken);
        await using (connection)
        {
            if (settings.Sweep is { } reference)
            {
                StatusView.Runs(console, await source.StatusAsync(reference));
            }
            else
            {
                StatusView.Sweeps(console, await source.ListAsync(), source.Description);
            }
        }

        return ExitCodes.Ok;
    }
}

/// <summary>grid list: the sweeps of a cluster or results directory.</summary>
public sealed class ListCommand(IAnsiConsole console) : AsyncCommand<GridSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, GridSettings settings, CancellationToken cancellationToken)
    {
        var (source, connection) = await Connections.SourceAsync(settings, cancellationToken);
        await using (connection)
        {
            StatusView.Sweeps(console, await source.ListAsync(), source.Description);
        }

        return ExitCodes.Ok;
    }
}
