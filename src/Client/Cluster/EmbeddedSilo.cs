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
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(LogLevelFromEnvironment());
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.UseOrleans(silo => GridSiloHost.ConfigureSilo(silo, grid, hostOptions));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new GridConnection(host, host.Services.GetRequiredService<IClusterClient>(), $"localhost:{hostOptions.GatewayPort}", embedded: true);
    }

    /// <summary>The embedded silo's log level on stderr: $GRID_LOG_LEVEL (Trace, Debug, Information, Warning, Error,
    /// Critical, None), default Error so that the progress display stays readable.</summary>
    private static LogLevel LogLevelFromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable("GRID_LOG_LEVEL");
        if (string.IsNullOrWhiteSpace(text))
        {
            return LogLevel.Error;
        }

        return Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new ArgumentException($"GRID_LOG_LEVEL: unknown log level '{text}', expected one of: {string.Join(", ", Enum.GetNames<LogLevel>())}");
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
