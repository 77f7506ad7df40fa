using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Grid.Cluster.Tests.Support;

/// <summary>A real redis-server on loopback (no persistence), for one test.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port, string log)
    {
        _process = process;
        Port = port;
        LogPath = log;
    }

    public int Port { get; }

    public string LogPath { get; }

    /// <summary>StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static string Binary()
    {
        string? binary = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"])
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists);
        Assert.True(binary is not null,
            "redis-server is not installed, and the cluster tests need a real one: run `apt-get install redis-server` "
            + "(scripts/setup does it with GRID_SETUP_SERVICES=1, as scripts/test and CI do).");
        return binary!;
    }

    public static async Task<RedisServer> StartAsync(string directory)
    {
        string binary = Binary();
        Directory.CreateDirectory(directory);
        int port = FreePorts.Next();
        string log = Path.Combine(directory, "redis.log");
        var start = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--logfile", log })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port, log);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60); // generous: the machine may be busy
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                break;
            }

            if (await server.PingAsync())
            {
                return server;
            }

            await Task.Delay(50);
        }

        string output = File.Exists(log) ? File.ReadAllText(log) : "(no log)";
        server.Dispose();
        throw new InvalidOperationException($"redis-server on port {port} did not answer PING: {output}");
    }

    public async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"));
            var buffer = new byte[64];
            int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception)
        {
            return false;
        }
    }

    public void Dispose() => _process.KillTreeAndDispose();
}
