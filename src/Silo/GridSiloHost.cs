using System.Net;
using Grid.Engine.Runtime;
using Grid.Grains.Hosting;
using Grid.Silo.Clustering;
using Grid.Silo.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Grid.Silo;

/// <summary>
/// Builds grid silos: the standalone web host (Orleans + ASP.NET Core with /healthz; /metrics comes later on the same
/// pipeline) and, through <see cref="ConfigureSilo"/>, the silo the client embeds and the silos of tests.
/// </summary>
public static class GridSiloHost
{
    public static WebApplication Build(string[] args)
    {
        // appsettings.json ships next to the binary; relative paths in it (Grid:ResultsRoot) are relative to the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddGridEnvironment();
        builder.Configuration.AddCommandLine(args);
        var (grid, host) = ReadOptions(builder.Configuration);
        builder.UseOrleans(silo => ConfigureSilo(silo, grid, host));
        builder.AddGridTelemetry();
        var app = builder.Build();
        app.MapHealthEndpoint();
        app.MapGridMetrics();
        return app;
    }

    public static (GridOptions Grid, GridHostOptions Host) ReadOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection(GridOptions.Section);
        var grid = section.Get<GridOptions>() ?? new GridOptions();
        var host = section.Get<GridHostOptions>() ?? new GridHostOptions();
        Validate(grid, host);
        return (grid, host);
    }

    /// <summary>Clustering, endpoints and the grid's grains and services.</summary>
    public static ISiloBuilder ConfigureSilo(ISiloBuilder silo, GridOptions grid, GridHostOptions host)
    {
        switch (host.Clustering.Trim().ToLowerInvariant())
        {
            case ClusteringModes.Localhost:
                silo.UseLocalhostClustering(host.SiloPort, host.GatewayPort, ParseEndpoint(host.PrimarySilo), host.ServiceId, host.ClusterId);
                silo.UseGridInMemoryState();
                break;
            case ClusteringModes.Redis:
                silo.UseGridRedis(host);
                break;
            default:
                throw new ArgumentException($"Grid:Clustering: unknown mode '{host.Clustering}' (expected localhost or redis)");
        }

        silo.Configure<EndpointOptions>(endpoints =>
            endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Parse(host.GatewayListenAddress), host.GatewayPort));
        silo.AddGrid(grid);
        silo.AddGridCluster(grid, host);
        silo.AddGridTelemetry();
        return silo;
    }

    private static void Validate(GridOptions grid, GridHostOptions host)
    {
        var problems = new List<string>();
        if (MklDispatch.SettingProblem(Environment.GetEnvironmentVariable(MklDispatch.Variable)) is { } mkl)
        {
            problems.Add(mkl);
        }

        if (grid.DeviceSlots is < 0)
        {
            problems.Add($"Grid:DeviceSlots must be >= 0, got {grid.DeviceSlots}");
        }

        if (grid.TorchThreads < 0)
        {
            problems.Add($"Grid:TorchThreads must be >= 0 (0 = a share of the cores), got {grid.TorchThreads}");
        }

        if (grid.MaxBundle < 1)
        {
            problems.Add($"Grid:MaxBundle must be >= 1 (1 = no bundles), got {grid.MaxBundle}");
        }

        if (grid.BundleGatherMilliseconds < 0)
        {
            problems.Add($"Grid:BundleGatherMilliseconds must be >= 0, got {grid.BundleGatherMilliseconds}");
        }

        if (grid.AnalysisThreads < 0)
        {
            problems.Add($"Grid:AnalysisThreads must be >= 0 (0 = one per core, at most {GridOptions.MaxDefaultAnalysisThreads}), got {grid.AnalysisThreads}");
        }

        if (grid.AnalysisNice is < 0 or > 19)
        {
            problems.Add($"Grid:AnalysisNice must be 0 (normal) to 19 (lowest), got {grid.AnalysisNice}");
        }

        if (string.IsNullOrWhiteSpace(grid.ResultsRoot))
        {
            problems.Add("Grid:ResultsRoot must not be empty");
        }

        if (!IPAddress.TryParse(host.GatewayListenAddress, out _))
        {
            problems.Add($"Grid:GatewayListenAddress '{host.GatewayListenAddress}' is not an IP address");
        }

        foreach (var (name, port) in new[] { ("SiloPort", host.SiloPort), ("GatewayPort", host.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                problems.Add($"Grid:{name} must be a TCP port, got {port}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid silo configuration: " + string.Join("; ", problems));
        }
    }

    private static IPEndPoint? ParseEndpoint(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        return IPEndPoint.TryParse(endpoint, out var parsed)
            ? parsed
            : throw new ArgumentException($"Grid:PrimarySilo '{endpoint}' is not ip:port");
    }
}
