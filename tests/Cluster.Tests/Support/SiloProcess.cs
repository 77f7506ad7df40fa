using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Grid.Cluster.Tests.Support;

/// <summary>/healthz of a silo.</summary>
public sealed record SiloHealth(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("silo")] string Silo,
    [property: JsonPropertyName("slots")] int Slots,
    [property: JsonPropertyName("busy")] int Busy,
    [property: JsonPropertyName("queued")] int Queued);

/// <summary>
/// One real silo process (<c>dotnet Grid.Silo.dll</c>) of a test cluster: its ports, its log file (stdout and stderr,
/// written by the process itself, so nothing is lost when it is killed) and its /healthz.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly Process _process;

    private SiloProcess(string name, Process process, int siloPort, int gatewayPort, int httpPort, string logPath)
    {
        Name = name;
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
        LogPath = logPath;
    }

    public string Name { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int HttpPort { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public bool Killed { get; private set; }

    public bool HasExited => _process.HasExited;

    public string Log => File.Exists(LogPath) ? ReadShared(LogPath) : "";

    /// <summary>Starts the silo with the cluster's environment plus its own ports.</summary>
    public static SiloProcess Start(string name, string directory, IReadOnlyDictionary<string, string> environment, int? siloPort = null, int? gatewayPort = null, int? httpPort = null)
    {
        int silo = siloPort ?? FreePorts.Next();
        int gateway = gatewayPort ?? FreePorts.Next();
        int http = httpPort ?? FreePorts.Next();
        string log = Path.Combine(directory, $"{name}.log");
        // sh execs dotnet with its output redirected to the log: the pid is the silo's, and the log survives kill -9.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (string argument in new[] { "-c", "exec \"$@\" >> \"$GRID_TEST_LOG\" 2>&1", "sh", "dotnet", GridExecutables.Silo })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["GRID_TEST_LOG"] = log;
        start.Environment["Grid__SiloPort"] = silo.ToString();
        start.Environment["Grid__GatewayPort"] = gateway.ToString();
        start.Environment["Urls"] = $"http://127.0.0.1:{http}";
        File.AppendAllText(log, $"### {name}: silo port {silo}, gateway {gateway}, http {http}, started {DateTimeOffset.Now:HH:mm:ss.fff}\n");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        return new SiloProcess(name, process, silo, gateway, http, log);
    }

    /// <summary>True when <paramref name="siloAddress"/> (ip:port@generation, as the grid reports it) is this silo.</summary>
    public bool Owns(string? siloAddress) =>
        siloAddress is not null && siloAddress.StartsWith($"127.0.0.1:{SiloPort}@", StringComparison.Ordinal);

    public async Task<SiloHealth?> HealthAsync()
    {
        if (_process.HasExited)
        {
            return null;
        }

        try
        {
            using var response = await Http.GetAsync($"http://127.0.0.1:{HttpPort}/healthz");
            return await response.Content.ReadFromJsonAsync<SiloHealth>();
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>Waits until /healthz says the silo is active in the cluster.</summary>
    public async Task WaitActiveAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo {Name} exited with code {_process.ExitCode} while starting:\n{Tail(Log, 60)}");
            }

            if (await HealthAsync() is { Status: "ok" })
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"silo {Name} did not become active within {timeout.TotalSeconds}s:\n{Tail(Log, 60)}");
    }

    /// <summary>kill -9 (SIGKILL): no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        Killed = true;
        File.AppendAllText(LogPath, $"\n### {Name}: killed (SIGKILL) by the test at {DateTimeOffset.Now:HH:mm:ss.fff}\n");
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose() => _process.KillTreeAndDispose();

    public static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
