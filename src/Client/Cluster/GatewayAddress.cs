using System.Net;
using System.Net.Sockets;

namespace Grid.Client.Cluster;

/// <summary>host:port of a silo gateway.</summary>
public static class GatewayAddress
{
    public const string EnvironmentVariable = "GRID_GATEWAY";
    public const string Default = "localhost:30000";

    /// <summary>--gateway, else $GRID_GATEWAY, else redis://… when Grid:RedisConnectionString is configured, else null.</summary>
    public static string? FromSettings(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : ClusterTarget.FromConfiguration();

    public static IPEndPoint Resolve(string address)
    {
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address[(colon + 1)..], out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"gateway '{address}': expected host:port, e.g. {Default}");
        }

        string host = address[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip))
        {
            return new IPEndPoint(ip, port);
        }

        var addresses = Dns.GetHostAddresses(host);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"gateway '{address}': cannot resolve {host}");
        return new IPEndPoint(chosen, port);
    }
}
