using System.Net;

namespace Grid.Observability.Tests.Support;

/// <summary>
/// A real silo process: the build output of src/Silo (Grid.Silo.dll, copied next to this test assembly by the
/// project reference) run with `dotnet`, configured through environment variables: its own results root, free
/// silo / gateway / web ports (Urls), one device slot. Ready once GET /healthz answers 200.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SiloProcess(ChildProcess process, string results, int siloPort, int gatewayPort, int webPort)
    {
        _process = process;
        Results = results;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        WebPort = webPort;
    }

    public string Results { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int WebPort { get; }

    public string Gateway => $"127.0.0.1:{GatewayPort}";

    public Uri Web => new($"http://127.0.0.1:{WebPort}");

    public string Tail() => _process.Tail();

    public static async Task<SiloProcess> StartAsync(string workDirectory, TimeSpan timeout)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Grid.Silo.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project must reference src/Client (which references src/Silo)");
        Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), $"{Path.ChangeExtension(dll, ".runtimeconfig.json")} is missing");
        string results = Path.Combine(workDirectory, "results");
        Directory.CreateDirectory(results);
        var ports = FreePorts.Take(3);
        var environment = new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{ports[2]}",
            ["Grid__ResultsRoot"] = results,
            ["Grid__SiloPort"] = ports[0].ToString(),
            ["Grid__GatewayPort"] = ports[1].ToString(),
            ["Grid__DeviceSlots"] = "1",
            ["Grid__Device"] = "cpu",
            ["Grid__TorchThreads"] = "1",
            ["Grid__AnalysisIdleClass"] = "false", // idle-class analyses starve beside other processes' busy cores

            ["Grid__PollMilliseconds"] = "200",
            ["Grid__Clustering"] = "localhost",
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_gcServer"] = "0",
        };
        var process = ChildProcess.Start(DotnetHost(), [dll], workDirectory, Path.Combine(workDirectory, "silo.log"), environment,
            removeVariablesWithPrefix: ["GRID_", "Grid__", "ASPNETCORE_", "OTEL_"]);
        var silo = new SiloProcess(process, results, ports[0], ports[1], ports[2]);
        try
        {
            await silo.WaitHealthyAsync(timeout);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>GET /metrics as Prometheus text.</summary>
    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var response = await http.GetAsync(new Uri(Web, "/metrics"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo process exited during start-up; its output:\n{_process.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Web, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                last = error.Message;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the silo did not answer /healthz with 200 within {timeout.TotalSeconds}s (last: {last}); its output:\n{_process.Tail()}");
    }

    /// <summary>The dotnet host running this test (so the silo runs on the same runtime), else dotnet from PATH.</summary>
    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
