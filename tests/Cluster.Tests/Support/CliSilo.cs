using System.Diagnostics;
using System.Net.Http.Json;

namespace Grid.Cluster.Tests.Support;

/// <summary>
/// A silo started as a user starts one without Kubernetes: `grid silo --redis HOST:PORT ...` as a process (the `grid`
/// CLI's build output), its output in a log file (written by the process itself), stopped with SIGINT as Ctrl-C does.
/// </summary>
public sealed class CliSilo : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly Process _process;

    private CliSilo(string name, Process process, int siloPort, int httpPort, string logPath)
    {
        Name = name;
        _process = process;
        SiloPort = siloPort;
        HttpPort = httpPort;
        LogPath = logPath;
    }

    public string Name { get; }

    public int SiloPort { get; }

    public int HttpPort { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>`grid silo --redis REDIS --advertise 127.0.0.1 --port .. --gateway-port .. --http-port .. EXTRA`.</summary>
    public static CliSilo Start(string name, string directory, string redis, params string[] extra)
    {
        int silo = FreePorts.Next(), gateway = FreePorts.Next(), http = FreePorts.Next();
        string log = Path.Combine(directory, $"{name}.log");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = directory };
        // env --default-signal=INT: Ctrl-C reaches the silo even when the tests themselves ignore SIGINT (started in the
        // background by a non-interactive shell, whose children inherit the ignored signal).
        string[] arguments =
        [
            "-c", "exec \"$@\" >> \"$GRID_TEST_LOG\" 2>&1", "sh", "env", "--default-signal=INT", "dotnet", GridExecutables.Cli, "silo",
            "--redis", redis, "--advertise", "127.0.0.1",
            "--port", silo.ToString(), "--gateway-port", gateway.ToString(), "--http-port", http.ToString(),
            .. extra,
        ];
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GRID_TEST_LOG"] = log;
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "1000";
        start.Environment["Grid__TorchThreads"] = "1";
        start.Environment["Grid__AnalysisIdleClass"] = GridExecutables.AnalysisIdleClass;
        start.Environment["Grid__PollMilliseconds"] = "250";
        start.Environment["Logging__LogLevel__Grid"] = "Information";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start `grid silo`");
        return new CliSilo(name, process, silo, http, log);
    }

    public bool Owns(string siloAddress) => siloAddress.StartsWith($"127.0.0.1:{SiloPort}@", StringComparison.Ordinal);

    public async Task<string?> StatusAsync()
    {
        try
        {
            using var response = await Http.GetAsync($"http://127.0.0.1:{HttpPort}/healthz");
            return (await response.Content.ReadFromJsonAsync<SiloHealth>())?.Status;
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
            Assert.False(_process.HasExited, $"{Name} exited with code {(_process.HasExited ? _process.ExitCode : 0)} while starting:\n{Log}");
            if (await StatusAsync() == "ok")
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{Name} did not become active within {timeout.TotalSeconds} s:\n{Log}");
    }

    /// <summary>SIGINT, what Ctrl-C sends to the foreground process.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public Task<bool> WaitExitAsync(TimeSpan timeout) => _process.ExitsWithinAsync(timeout);

    public void Dispose() => _process.KillTreeAndDispose();
}
