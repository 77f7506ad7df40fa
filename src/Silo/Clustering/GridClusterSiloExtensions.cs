using System.Net;
using Grid.Grains.Hosting;
using Grid.Grains.Persistence;
using Grid.Grains.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using StackExchange.Redis;

namespace Grid.Silo.Clustering;

/// <summary>
/// Cluster mode of a silo. Grid:Clustering = redis keeps membership, the coordinators' grain state (named storage
/// <see cref="GridStorage.Name"/>) and reminders in the Redis at Grid:RedisConnectionString, so that any silo can die
/// and the others carry on; localhost keeps them in memory (one machine). Independently of the mode: Orleans
/// Kubernetes hosting (Grid:Kubernetes, or auto in a pod), TLS (Grid:Tls:*), tuning of Orleans' options
/// (Grid:Membership:* → ClusterMembershipOptions, e.g. ProbeTimeout; Grid:Reminders:* → ReminderOptions;
/// Grid:Messaging:* → SiloMessagingOptions, e.g. ResponseTimeout), and the cluster-wide claim that keeps two processes
/// from training one iteration at once.
/// </summary>
public static class GridClusterSiloExtensions
{
    public const string MembershipSection = "Grid:Membership";
    public const string RemindersSection = "Grid:Reminders";
    public const string MessagingSection = "Grid:Messaging";

    /// <summary>Single machine: grain state and reminders in memory (they end with the cluster).</summary>
    public static ISiloBuilder UseGridInMemoryState(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(GridStorage.Name);
        silo.UseInMemoryReminderService();
        return silo;
    }

    /// <summary>Membership, grain storage and reminders in Redis; silo and gateway ports and the advertised address.</summary>
    public static ISiloBuilder UseGridRedis(this ISiloBuilder silo, GridHostOptions host)
    {
        string connection = RequireRedis(host);
        silo.UseRedisClustering(options => options.ConfigurationOptions = RedisOptions(connection));
        silo.AddRedisGrainStorage(GridStorage.Name, options => options.ConfigurationOptions = RedisOptions(connection));
        silo.UseRedisReminderService(options => options.ConfigurationOptions = RedisOptions(connection));
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = host.ClusterId;
            options.ServiceId = host.ServiceId;
        });
        var advertised = ParseAddress(host.AdvertisedAddress);
        silo.Configure<EndpointOptions>(options =>
        {
            options.SiloPort = host.SiloPort;
            options.GatewayPort = host.GatewayPort;
            if (advertised is not null)
            {
                // Otherwise Kubernetes hosting advertises the pod IP, or Orleans picks this machine's first non-loopback address.
                options.AdvertisedIPAddress = advertised;
            }
        });
        return silo;
    }

    /// <summary>Kubernetes hosting, TLS, Orleans option tuning and the iteration claim (every mode); call after AddGrid.</summary>
    public static ISiloBuilder AddGridCluster(this ISiloBuilder silo, GridOptions grid, GridHostOptions host)
    {
        if (UseKubernetes(host))
        {
            silo.UseKubernetesHosting();
        }

        if (host.Tls.Enabled)
        {
            var certificate = GridTls.LoadCertificate(host.Tls);
            silo.UseTls(certificate, tls => GridTls.Apply(tls, host.Tls, certificate));
        }

        silo.Services.AddOptions<ClusterMembershipOptions>().Bind(silo.Configuration.GetSection(MembershipSection));
        silo.Services.AddOptions<SiloMessagingOptions>().Bind(silo.Configuration.GetSection(MessagingSection));
        var reminderPeriod = GridStorage.ReminderPeriod(grid);
        silo.Services.AddOptions<ReminderOptions>()
            .Configure(options => options.MinimumReminderPeriod = reminderPeriod < options.MinimumReminderPeriod ? reminderPeriod : options.MinimumReminderPeriod)
            .Bind(silo.Configuration.GetSection(RemindersSection));

        ClaimIterations(silo.Services);
        return silo;
    }

    /// <summary>
    /// Wraps the registered <see cref="IIterationTrainer"/> (AddGrid's engine trainer, or the host's own) in an
    /// <see cref="ExclusiveIterationTrainer"/>: call after AddGrid.
    /// </summary>
    public static void ClaimIterations(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IIterationTrainer) && !d.IsKeyedService);
        if (registered is null || registered.ImplementationType == typeof(ExclusiveIterationTrainer))
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton<IIterationTrainer>(provider => new ExclusiveIterationTrainer(
            Create(provider, registered),
            $"{Dns.GetHostName()} pid {Environment.ProcessId}",
            provider.GetRequiredService<ILogger<ExclusiveIterationTrainer>>()));

        static IIterationTrainer Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
            descriptor.ImplementationInstance as IIterationTrainer
            ?? (IIterationTrainer?)descriptor.ImplementationFactory?.Invoke(provider)
            ?? (IIterationTrainer)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
    }

    /// <summary>
    /// On when Grid:Kubernetes is true; when unset, on for a cluster silo (not localhost clustering: an embedded silo
    /// started by `grid run` inside a pod stays out of it) inside a pod (POD_NAME and a namespace are known).
    /// </summary>
    public static bool UseKubernetes(GridHostOptions host) =>
        host.Kubernetes ?? (!host.Clustering.Trim().Equals(ClusteringModes.Localhost, StringComparison.OrdinalIgnoreCase)
                            && !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("POD_NAME"))
                            && (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("POD_NAMESPACE"))
                                || File.Exists("/var/run/secrets/kubernetes.io/serviceaccount/namespace")));

    public static string RequireRedis(GridHostOptions host) =>
        string.IsNullOrWhiteSpace(host.RedisConnectionString)
            ? throw new ArgumentException("Grid:RedisConnectionString must be set when Grid:Clustering = redis (e.g. Grid__RedisConnectionString=redis:6379)")
            : host.RedisConnectionString.Trim();

    /// <summary>StackExchange.Redis options of a connection string (each provider gets its own copy).</summary>
    public static ConfigurationOptions RedisOptions(string connection)
    {
        try
        {
            return ConfigurationOptions.Parse(connection);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"Grid:RedisConnectionString '{connection}' is not a Redis connection string: {error.Message}", error);
        }
    }

    private static IPAddress? ParseAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        if (IPAddress.TryParse(address, out var parsed))
        {
            return parsed;
        }

        var resolved = Dns.GetHostAddresses(address);
        return resolved.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? resolved.FirstOrDefault()
            ?? throw new ArgumentException($"Grid:AdvertisedAddress '{address}' does not resolve");
    }
}
