using System.Net;
using System.Net.Sockets;
using Grid.Grains.Hosting;
using Grid.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grid.Client.Cluster;

/// <summary>
/// A single in-process silo (localhost clustering) for `grid run` without --gateway. Its gateway listens on
/// loopback (30000, or a free port when taken) so that `grid watch --gateway` from another terminal works while it runs.
/// </summary>
public static class EmbeddedSilo
{
    public static async Task<GridConnection> StartAsync(GridOptions grid, CancellationToken cancellationToken)
    {
        var hostOptions = new GridHostOptions
        {
            SiloPort = FreePort(11111),
            GatewayPort = FreePort(30000),
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.UseOrleans(silo => GridSiloHost.ConfigureSilo(silo, grid, hostOptions));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new GridConnection(host, host.Services.GetRequiredService<IClusterClient>(), $"localhost:{hostOptions.GatewayPort}", embedded: true);
    }

    private static int FreePort(int preferred)
    {
        foreach (int port in new[] { preferred, 0 })
        {
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                int chosen = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                return chosen;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free TCP port on loopback");
    }
}
