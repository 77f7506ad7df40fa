using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Grid.Observability.Tests.Support;

/// <summary>One sample of an instant vector: its labels and value.</summary>
public sealed record PromSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string this[string label] => Labels.TryGetValue(label, out string? value) ? value : "";
}

/// <summary>
/// A real Prometheus server (Debian's package, /usr/bin/prometheus) on its own loopback port and temporary storage,
/// scraping targets every second as job grid-silos (the job the dashboards select). Queried over its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    public const string Job = "grid-silos";

    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(ChildProcess process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        _http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(15) };
    }

    public Uri Address { get; }

    public string Tail() => _process.Tail();

    /// <summary>Fails (never skips) when Prometheus is not installed: the observability tests need the real server.</summary>
    public static void RequireInstalled()
    {
        Assert.True(File.Exists(Binary),
            $"{Binary} not found: the observability tests run a real Prometheus server. Install Debian's package with `apt-get install prometheus` (as root; scripts/setup installs it when GRID_SETUP_SERVICES=1).");
    }

    public static async Task<PrometheusServer> StartAsync(string workDirectory, IReadOnlyList<string> targets, TimeSpan timeout)
    {
        RequireInstalled();
        string directory = Path.Combine(workDirectory, "prometheus");
        Directory.CreateDirectory(directory);
        string config = Path.Combine(directory, "prom.yml");
        await File.WriteAllTextAsync(config, Config(targets));
        int port = FreePorts.Take(1)[0];
        var process = ChildProcess.Start(Binary,
        [
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=1h",
            "--log.level=warn",
        ], directory, Path.Combine(directory, "prometheus.log"));
        var server = new PrometheusServer(process, port);
        try
        {
            await server.WaitReadyAsync(timeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public static string Config(IReadOnlyList<string> targets) => $"""
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: {Job}
            metrics_path: /metrics
            static_configs:
              - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
        """;

    /// <summary>GET /api/v1/query: the instant vector (or scalar as one unlabelled sample) of <paramref name="promql"/>.</summary>
    public async Task<IReadOnlyList<PromSample>> QueryAsync(string promql)
    {
        using var document = await GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql), promql);
        var data = document.RootElement.GetProperty("data");
        string type = data.GetProperty("resultType").GetString() ?? "";
        var result = data.GetProperty("result");
        return type switch
        {
            "vector" => [.. result.EnumerateArray().Select(sample => new PromSample(
                sample.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                ParseValue(sample.GetProperty("value"))))],
            "scalar" => [new PromSample(new Dictionary<string, string>(), ParseValue(result))],
            "matrix" => [.. result.EnumerateArray().Select(series => new PromSample(
                series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                ParseValue(series.GetProperty("values").EnumerateArray().Last())))],
            _ => throw new InvalidOperationException($"{promql}: unexpected result type {type}"),
        };
    }

    /// <summary>The single value of <paramref name="promql"/>, or null when it returns nothing.</summary>
    public async Task<double?> ScalarAsync(string promql)
    {
        var samples = await QueryAsync(promql);
        Assert.True(samples.Count <= 1, $"{promql} returned {samples.Count} series: {string.Join("; ", samples.Select(s => string.Join(",", s.Labels)))}");
        return samples.Count == 1 ? samples[0].Value : null;
    }

    /// <summary>Every metric name Prometheus holds (including its synthetic up / scrape_* series).</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync()
    {
        using var document = await GetAsync("/api/v1/label/__name__/values", "metric names");
        return document.RootElement.GetProperty("data").EnumerateArray().Select(n => n.GetString() ?? "").ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; the timeout message says what was last seen.</summary>
    public static async Task WaitUntilAsync(Func<Task<(bool Done, string Seen)>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        string seen = "";
        while (DateTime.UtcNow < deadline)
        {
            (bool done, seen) = await condition();
            if (done)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds}s; last seen: {seen}");
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<JsonDocument> GetAsync(string path, string what)
    {
        using var response = await _http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Prometheus rejected {what}: {(int)response.StatusCode} {body}");
        var document = JsonDocument.Parse(body);
        Assert.Equal("success", document.RootElement.GetProperty("status").GetString());
        return document;
    }

    private static double ParseValue(JsonElement pair) =>
        double.Parse(pair[1].GetString() ?? "NaN", NumberStyles.Float, CultureInfo.InvariantCulture);

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited during start-up; its output:\n{_process.Tail()}");
            }

            try
            {
                using var response = await _http.GetAsync("/-/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                last = error.Message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"prometheus was not ready within {timeout.TotalSeconds}s (last: {last}); its output:\n{_process.Tail()}");
    }
}
