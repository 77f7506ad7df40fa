using System.Diagnostics;
using Grid.Observability.Tests.Support;

namespace Grid.Observability.Tests;

/// <summary>
/// `grid run SPEC --metrics-port P` on one machine: the embedded silo serves /metrics on 127.0.0.1:P while the sweep
/// trains, and a real Prometheus scraping it (the job the dashboards select) sees the sweep's training. Ctrl-C then
/// cancels the sweep as usual.
/// </summary>
[Collection(ObservedGridCollection.Name)]
public sealed class EmbeddedMetricsTests : IDisposable
{
    // Long enough that it is still training when Prometheus has seen it; the test stops it with Ctrl-C.
    private const string LongSweep = """
        name: embedded-metrics
        base:
          dataset: {name: fashion-mnist, fraction: 0.1, val_size: 500}
          network: {hidden: [32, 32, 32]}
          training: {batch_size: 50, steps: 100000, validate_every: 50}
          pruning: {rate: 0.5, rewind_step: 5, max_iterations: 2}
        analysis: [none]
        """;

    private readonly TemporaryDirectory _directory = new("grid-embedded-metrics-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Prometheus_scrapes_the_embedded_silo_of_grid_run_while_it_trains()
    {
        int port = FreePorts.Take(1)[0];
        string spec = _directory.Write("long.yaml", LongSweep);
        await using var prometheus = await PrometheusServer.StartAsync(_directory.Path, [$"127.0.0.1:{port}"], ProgressWait.EventBound);
        string cli = Path.Combine(AppContext.BaseDirectory, "grid.dll");
        // env --default-signal=INT: Ctrl-C reaches `grid run` even when the tests themselves ignore SIGINT (started in the
        // background by a non-interactive shell, whose children inherit the ignored signal).
        using var run = ChildProcess.Start("env", ["--default-signal=INT", DotnetHost(), cli, "run", spec, "--metrics-port", port.ToString(), "--results", _directory.File("results")],
            _directory.Path, _directory.File("grid-run.log"),
            new Dictionary<string, string?> { ["DOTNET_gcServer"] = "0", ["NO_COLOR"] = "1", ["Grid__TorchThreads"] = "1" },
            removeVariablesWithPrefix: ["GRID_", "Grid__", "ASPNETCORE_", "OTEL_"]);

        const string Steps = "sum(grid_training_steps_total{sweep=~\"embedded-metrics-.*\"})";
        await PrometheusServer.WaitUntilAsync(async () =>
        {
            Assert.False(run.HasExited, $"grid run ended before Prometheus saw it train:\n{run.Tail()}");
            double? steps = await prometheus.ScalarAsync(Steps);
            return (steps > 0, $"training steps {steps}; grid run: {run.Tail()}");
        }, ProgressWait.EventBound, "Prometheus seeing the embedded silo train");

        Assert.Equal(1, await prometheus.ScalarAsync($"up{{job=\"{PrometheusServer.Job}\", instance=\"127.0.0.1:{port}\"}}"));
        Assert.Equal(1, await prometheus.ScalarAsync("sum(grid_device_slots_busy)"));
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) })
        {
            string scrape = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            Assert.Contains("grid_device_slots{", scrape);
            Assert.Contains("orleans_", scrape);
            Assert.Contains("\"status\":\"ok\"", await http.GetStringAsync($"http://127.0.0.1:{port}/healthz"));
        }

        Interrupt(run.Id);
        Assert.True(await run.WaitForExitAsync(ProgressWait.EventBound), $"grid run did not stop within {ProgressWait.EventBound.TotalSeconds} s of Ctrl-C:\n{run.Tail()}");
        Assert.Contains("Cancelled.", run.Tail());
    }

    /// <summary>SIGINT, what Ctrl-C sends.</summary>
    private static void Interrupt(int pid)
    {
        using var kill = Process.Start("kill", ["-INT", pid.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
