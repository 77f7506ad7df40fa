using System.Net;
using System.Net.Sockets;

namespace Grid.Cluster.Tests.Support;

/// <summary>Loopback TCP ports nobody listens on, never the same one twice in this test process.</summary>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            for (int attempt = 0; attempt < 100; attempt++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("no free loopback port");
    }
}
