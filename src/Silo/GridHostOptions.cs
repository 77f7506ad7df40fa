namespace Grid.Silo;

/// <summary>Host-level settings of a silo, from the same "Grid" configuration section as <c>GridOptions</c>.</summary>
public sealed class GridHostOptions
{
    /// <summary>localhost (default: single machine, in-memory membership) or redis (membership, grain state and reminders in Redis).</summary>
    public string Clustering { get; set; } = ClusteringModes.Localhost;

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address the client gateway listens on; loopback unless configured otherwise (e.g. 0.0.0.0 in a pod).</summary>
    public string GatewayListenAddress { get; set; } = "127.0.0.1";

    /// <summary>localhost clustering: silo endpoint (host:port) of the first silo when several silos run on one machine.</summary>
    public string? PrimarySilo { get; set; }

    public string ClusterId { get; set; } = "grid";

    public string ServiceId { get; set; } = "grid";

    /// <summary>redis clustering: StackExchange.Redis connection string (membership, grain state, reminders), e.g. redis:6379.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>redis clustering: address other silos and clients reach this silo at; default: the pod IP under
    /// Kubernetes, else this machine's first non-loopback address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Orleans Kubernetes hosting (silo name, cluster ids and address from the pod); unset = on inside a pod (POD_NAME set).</summary>
    public bool? Kubernetes { get; set; }

    /// <summary>TLS between silos and clients (Grid:Tls:CertificatePath, ...); off by default.</summary>
    public Clustering.GridTlsOptions Tls { get; set; } = new();
}

public static class ClusteringModes
{
    public const string Localhost = "localhost";
    public const string Redis = "redis";
}
