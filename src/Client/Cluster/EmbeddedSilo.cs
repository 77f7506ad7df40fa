using System.Net;
using System.Net.Sockets;
using Grid.Grains.Hosting;
using Grid.Silo;
using Grid.Silo.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grid.Client.Cluster;

/// <summary>
/// A single in-process silo (localhost clustering) for `grid run` without --gateway. Its gateway listens on
/// loopback (30000, or a free port when taken) so that `grid watch --gateway` from another terminal works while it runs.
/// With --metrics-port it also serves /metrics for Prometheus (docs/metrics.md).
/// </summary>
public static class EmbeddedSilo
{
    /// <param name="metricsPort">When set, the silo also serves GET /metrics (Prometheus) and /healthz on
    /// 127.0.0.1:<paramref name="metricsPort"/>, as a standalone silo does on its web port.</param>
    public static async Task<GridConnection> StartAsync(GridOptions grid, CancellationToken cancellationToken, int? metricsPort = null)
    {
        var hostOptions = new GridHostOptions
        {
            SiloPort = FreePort(11111),
            GatewayPort = FreePort(30000),
        };
        var logs = EmbeddedLogFilter.FromEnvironment();
        var host = metricsPort is { } port ? BuildWithMetrics(grid, hostOptions, port, logs) : Build(grid, hostOptions, logs);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(logs.OnStopping);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (IOException error) when (metricsPort is not null)
        {
            host.Dispose();
            throw new GridConnectionException($"--metrics-port {metricsPort}: cannot serve /metrics on 127.0.0.1:{metricsPort} ({error.Message})", error);
        }

        return new GridConnection(host, host.Services.GetRequiredService<IClusterClient>(), $"localhost:{hostOptions.GatewayPort}", embedded: true);
    }

    private static IHost Build(GridOptions grid, GridHostOptions hostOptions, EmbeddedLogFilter logs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder.Logging, builder.Services, logs);
        builder.UseOrleans(silo => GridSiloHost.ConfigureSilo(silo, grid, hostOptions));
        return builder.Build();
    }

    /// <summary>The same silo on an ASP.NET Core host with the standalone silo's /metrics and /healthz; configuration
    /// only from the environment (OTLP settings), not from an appsettings.json that happens to be in the directory.</summary>
    private static WebApplication BuildWithMetrics(GridOptions grid, GridHostOptions hostOptions, int port, EmbeddedLogFilter logs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddEnvironmentVariables().AddGridEnvironment();
        ConfigureLogging(builder.Logging, builder.Services, logs);
        builder.UseOrleans(silo => GridSiloHost.ConfigureSilo(silo, grid, hostOptions));
        builder.AddGridTelemetry();
        var app = builder.Build();
        app.Urls.Clear();
        app.Urls.Add($"http://127.0.0.1:{port}");
        app.MapHealthEndpoint();
        app.MapGridMetrics();
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, IServiceCollection services, EmbeddedLogFilter logs)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        logging.SetMinimumLevel(logs.Level);
        logging.AddFilter(logs.Allows);
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
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
