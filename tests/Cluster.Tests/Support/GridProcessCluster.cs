using System.Diagnostics;
using Grid.Client.Cluster;

namespace Grid.Cluster.Tests.Support;

/// <summary>
/// A grid cluster of real processes on loopback: one redis-server and silo processes in redis clustering mode,
/// sharing one temporary results root. Keeps every silo's log; <see cref="DumpLogs"/> prints them (on failure the
/// directory is kept as well; GRID_CLUSTER_TESTS_KEEP=1 keeps it always).
/// </summary>
public sealed class GridProcessCluster : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly List<SiloProcess> _silos = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _started;
    private bool _failed;

    private GridProcessCluster(ITestOutputHelper output, string directory, RedisServer redis)
    {
        _output = output;
        Directory = directory;
        Redis = redis;
        Results = Path.Combine(directory, "results");
        System.IO.Directory.CreateDirectory(Results);
    }

    public string Directory { get; }

    public string Results { get; }

    public RedisServer Redis { get; }

    /// <summary>--gateway value that discovers the gateways of live silos in the cluster's Redis.</summary>
    public string RedisGateway => ClusterTarget.RedisScheme + Redis.ConnectionString;

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IEnumerable<SiloProcess> Live => _silos.Where(s => !s.Killed && !s.HasExited);

    /// <summary>Settings of every silo (ports are added per silo).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <param name="configure">Changes to every silo's settings (<see cref="Environment"/>) before the first starts.</param>
    public static async Task<GridProcessCluster> StartAsync(ITestOutputHelper output, int silos, Action<Dictionary<string, string>>? configure = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "grid-cluster-tests", $"{DateTime.UtcNow:HHmmss}-{Guid.NewGuid():N}"[..20]);
        System.IO.Directory.CreateDirectory(directory);
        var redis = await RedisServer.StartAsync(directory);
        var cluster = new GridProcessCluster(output, directory, redis);
        var environment = cluster.Environment;
        environment["Grid__Clustering"] = "redis";
        environment["Grid__RedisConnectionString"] = redis.ConnectionString;
        environment["Grid__AdvertisedAddress"] = "127.0.0.1";
        environment["Grid__ResultsRoot"] = cluster.Results;
        environment["Grid__DeviceSlots"] = "1";
        environment["Grid__TorchThreads"] = "1";
        environment["Grid__AnalysisIdleClass"] = GridExecutables.AnalysisIdleClass;
        environment["Grid__PollMilliseconds"] = "250";
        environment["Grid__ReminderSeconds"] = "5";
        // Declare a killed silo dead after about three missed 2 s probes (Orleans' defaults take much longer).
        environment["Grid__Membership__ProbeTimeout"] = "00:00:02";
        environment["Grid__Membership__NumMissedProbesLimit"] = "3";
        environment["Grid__Membership__NumVotesForDeathDeclaration"] = "1";
        environment["Grid__Membership__TableRefreshTimeout"] = "00:00:02";
        // A silo whose liveness stamp is older than 2 x 2 s counts as gone when a new silo checks who it must reach to join.
        environment["Grid__Membership__IAmAliveTablePublishTimeout"] = "00:00:02";
        environment["Grid__Membership__NumMissedTableIAmAliveLimit"] = "2";
        // A call lost while the cluster reshuffles after a death fails after 10 s, not Orleans' default 30 s.
        environment["Grid__Messaging__ResponseTimeout"] = "00:00:10";
        environment["DOTNET_gcServer"] = "0";
        environment["Logging__LogLevel__Grid"] = "Information";
        environment["Logging__Console__FormatterName"] = "simple";
        environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        configure?.Invoke(environment);
        try
        {
            var started = Enumerable.Range(0, silos).Select(_ => cluster.Launch()).ToList();
            await Task.WhenAll(started.Select(s => s.WaitActiveAsync(ProgressWait.EventBound)));
            cluster.Log($"{silos} silos active (redis {redis.ConnectionString}, results {cluster.Results})");
            return cluster;
        }
        catch
        {
            cluster._failed = true;
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo (fresh ports, or the ports of <paramref name="samePortsAs"/>) and waits until it is active.</summary>
    public async Task<SiloProcess> StartSiloAsync(SiloProcess? samePortsAs = null)
    {
        var silo = Launch(samePortsAs);
        await silo.WaitActiveAsync(ProgressWait.EventBound);
        Log($"{silo.Name} active (silo port {silo.SiloPort})");
        return silo;
    }

    public void Kill(SiloProcess silo, string why)
    {
        silo.Kill();
        Log($"killed {silo.Name} (pid {silo.ProcessId}, silo port {silo.SiloPort}): {why}");
    }

    /// <summary>Runs the `grid` CLI as a process; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunCliAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = GridExecutables.CliStart(Directory, arguments);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"grid {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds}s");
        }

        string output = await stdout + await stderr;
        Log($"grid {string.Join(' ', arguments)} → exit {process.ExitCode}\n{output.TrimEnd()}");
        return (process.ExitCode, output);
    }

    public void Log(string message) => _output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] {message}");

    /// <summary>Prints every silo's log (the last lines of each) and keeps the directory for inspection.</summary>
    public void DumpLogs(int linesPerSilo = 200)
    {
        _failed = true;
        _output.WriteLine($"---- logs are kept in {Directory} ----");
        foreach (var silo in _silos)
        {
            _output.WriteLine($"---- {silo.Name} ({(silo.Killed ? "killed" : silo.HasExited ? "exited" : "running")}) {silo.LogPath} ----");
            _output.WriteLine(SiloProcess.Tail(silo.Log, linesPerSilo));
        }

        if (File.Exists(Redis.LogPath))
        {
            _output.WriteLine("---- redis ----");
            _output.WriteLine(SiloProcess.Tail(File.ReadAllText(Redis.LogPath), 30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        Redis.Dispose();
        await Task.Yield();
        if (!_failed && System.Environment.GetEnvironmentVariable("GRID_CLUSTER_TESTS_KEEP") is not "1")
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private SiloProcess Launch(SiloProcess? samePortsAs = null)
    {
        string name = $"silo{++_started}";
        var silo = samePortsAs is null
            ? SiloProcess.Start(name, Directory, Environment)
            : SiloProcess.Start(name, Directory, Environment, samePortsAs.SiloPort, samePortsAs.GatewayPort, samePortsAs.HttpPort);
        _silos.Add(silo);
        return silo;
    }
}
