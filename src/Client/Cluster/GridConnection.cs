using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Grid.Client.Cluster;

/// <summary>A cluster client: connected to a gateway, or the client of an embedded in-process silo.</summary>
public sealed class GridConnection(IHost host, IClusterClient client, string gateway, bool embedded) : IAsyncDisposable
{
    private Task? _stopping;

    public IClusterClient Client { get; } = client;

    /// <summary>host:port other clients can connect to.</summary>
    public string Gateway { get; } = gateway;

    public bool Embedded { get; } = embedded;

    public static async Task<GridConnection> ConnectAsync(string gateway, CancellationToken cancellationToken)
    {
        var target = ClusterTarget.Parse(gateway);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        int attempts = 0;
        builder.UseOrleansClient(client =>
        {
            target.Configure(client); // static gateways or Redis gateway discovery, cluster ids, TLS: ClusterTarget.cs
            client.Configure<ConnectionOptions>(o =>
            {
                o.OpenConnectionTimeout = TimeSpan.FromSeconds(5);
                o.ConnectionRetryDelay = TimeSpan.FromSeconds(1);
            });
            client.UseConnectionRetryFilter(async (_, token) =>
            {
                // A few quick retries (a gateway restarting), then a clear error instead of a long wait.
                if (++attempts >= 3)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), token);
                return true;
            });
        });
        var host = builder.Build();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await host.StartAsync(timeout.Token);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new GridConnectionException($"cannot reach the grid gateway at {gateway} ({error.Message}). Is a silo running? Start one with `dotnet run --project src/Silo`, or run a sweep without --gateway to use an embedded silo.", error);
        }

        return new GridConnection(host, host.Services.GetRequiredService<IClusterClient>(), gateway, embedded: false);
    }

    /// <summary>Starts stopping the host (an embedded silo deactivates its grains and leaves the cluster) while the
    /// caller goes on with work that no longer needs it, such as writing the report from the results directory.</summary>
    public void BeginStop() => _stopping ??= StopAsync();

    public async ValueTask DisposeAsync()
    {
        await (_stopping ??= StopAsync());
        host.Dispose();
    }

    private async Task StopAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

public sealed class GridConnectionException(string message, Exception? inner = null) : Exception(message, inner);
