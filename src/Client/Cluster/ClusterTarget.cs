using System.Net;
using Grid.Silo;
using Grid.Silo.Clustering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Grid.Client.Cluster;

/// <summary>
/// How a client finds a cluster, from the --gateway value (or $GRID_GATEWAY):
/// <list type="bullet">
/// <item><c>host:port</c> or <c>host1:port1,host2:port2</c>: static gateways (any silo's gateway; a list survives the
/// death of one of them);</item>
/// <item><c>redis://&lt;StackExchange.Redis connection string&gt;</c>: the gateways of every live silo, read from the
/// cluster's Redis membership table (the client follows silos that die and join).</item>
/// </list>
/// Without --gateway and $GRID_GATEWAY, a configured Grid:RedisConnectionString (Grid__RedisConnectionString or
/// GRID_REDISCONNECTIONSTRING, as for the silo) means that cluster. Cluster ids (Grid:ClusterId, Grid:ServiceId) and
/// TLS (Grid:Tls:*) come from the same configuration as the silo's.
/// </summary>
public sealed class ClusterTarget
{
    public const string RedisScheme = "redis://";

    private ClusterTarget(string description, string? redis, IReadOnlyList<IPEndPoint> gateways, GridHostOptions settings)
    {
        Description = description;
        Redis = redis;
        Gateways = gateways;
        Settings = settings;
    }

    public string Description { get; }

    /// <summary>Redis connection string for gateway discovery, or null for static gateways.</summary>
    public string? Redis { get; }

    public IReadOnlyList<IPEndPoint> Gateways { get; }

    public GridHostOptions Settings { get; }

    public static ClusterTarget Parse(string gateway) => Parse(gateway, ReadSettings());

    public static ClusterTarget Parse(string gateway, GridHostOptions settings)
    {
        string trimmed = gateway.Trim();
        if (trimmed.StartsWith(RedisScheme, StringComparison.OrdinalIgnoreCase))
        {
            string connection = trimmed[RedisScheme.Length..];
            if (connection.Length == 0)
            {
                throw new ArgumentException($"gateway '{gateway}': expected {RedisScheme}host:port, e.g. {RedisScheme}localhost:6379");
            }

            GridClusterSiloExtensions.RedisOptions(connection); // a clear error now rather than at connect time
            return new ClusterTarget(gateway, connection, [], settings);
        }

        var endpoints = trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(GatewayAddress.Resolve)
            .ToList();
        if (endpoints.Count == 0)
        {
            throw new ArgumentException($"gateway '{gateway}': expected host:port, e.g. {GatewayAddress.Default}");
        }

        return new ClusterTarget(gateway, null, endpoints, settings);
    }

    /// <summary>redis://… when the environment configures Grid:RedisConnectionString, else null.</summary>
    public static string? FromConfiguration() =>
        ReadSettings().RedisConnectionString is { Length: > 0 } redis && !string.IsNullOrWhiteSpace(redis) ? RedisScheme + redis.Trim() : null;

    /// <summary>Clustering, cluster ids and TLS of a client of this cluster.</summary>
    public void Configure(IClientBuilder client)
    {
        if (Redis is not null)
        {
            string connection = Redis;
            client.UseRedisClustering(options => options.ConfigurationOptions = GridClusterSiloExtensions.RedisOptions(connection));
            // Learn about silos that joined (and forget dead ones) within seconds, not the default minute.
            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        }
        else
        {
            client.UseStaticClustering([.. Gateways]);
        }

        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = Settings.ClusterId;
            options.ServiceId = Settings.ServiceId;
        });
        if (Settings.Tls.Enabled)
        {
            var certificate = GridTls.LoadCertificate(Settings.Tls);
            client.UseTls(certificate, tls => GridTls.Apply(tls, Settings.Tls, certificate));
        }
    }

    /// <summary>The "Grid" section of this process's environment (Grid__Key, GRID_KEY), as a silo reads it.</summary>
    private static GridHostOptions ReadSettings()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddGridEnvironment().Build();
        return configuration.GetSection("Grid").Get<GridHostOptions>() ?? new GridHostOptions();
    }
}
