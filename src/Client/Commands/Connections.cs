using Grid.Client.Cluster;
using Grid.Grains.Hosting;
using Grid.Silo;
using Microsoft.Extensions.Configuration;

namespace Grid.Client.Commands;

/// <summary>How commands reach sweeps.</summary>
public static class Connections
{
    /// <summary>Silo options of an embedded silo: GRID_* / Grid__* environment, then the command line.</summary>
    public static GridOptions EmbeddedOptions(RunSettings settings)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddGridEnvironment().Build();
        var (grid, _) = GridSiloHost.ReadOptions(configuration);
        grid.ResultsRoot = settings.ResultsRoot;
        grid.Device = settings.Device ?? grid.Device;
        grid.DeviceSlots = settings.Slots ?? (grid.DeviceSlots is 0 ? 1 : grid.DeviceSlots); // the embedded silo must train
        grid.PollMilliseconds = Math.Min(grid.PollMilliseconds, 500);
        return grid;
    }

    /// <summary>A cluster source when a gateway is configured, else the local results directory.</summary>
    public static async Task<(ISweepSource Source, GridConnection? Connection)> SourceAsync(GridSettings settings, CancellationToken cancellationToken)
    {
        if (GatewayAddress.FromSettings(settings.Gateway) is { } gateway)
        {
            var connection = await GridConnection.ConnectAsync(gateway, cancellationToken);
            return (new ClusterSweepSource(connection.Client, gateway), connection);
        }

        return (new LocalSweepSource(settings.ResultsRoot), null);
    }

    /// <summary>Commands that need a live cluster: --gateway, $GRID_GATEWAY, or the default localhost:30000.</summary>
    public static Task<GridConnection> ClusterAsync(GridSettings settings, CancellationToken cancellationToken) =>
        GridConnection.ConnectAsync(GatewayAddress.FromSettings(settings.Gateway) ?? GatewayAddress.Default, cancellationToken);
}
