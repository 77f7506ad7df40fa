using System.Globalization;
using Grid.Observability.Tests.Support;

namespace Grid.Observability.Tests;

/// <summary>
/// End to end: a real silo process trains a tiny real sweep submitted through the client API, a real Prometheus
/// scrapes the silo's /metrics, and what Prometheus answers agrees with the sweep's summary.csv.
/// </summary>
[Collection(ObservedGridCollection.Name)]
public sealed class SweepMetricsTests(ObservedGrid grid)
{
    private const double AccuracyTolerance = 1e-6;

    /// <summary>summary.csv prints 6 significant digits; the gauges carry the full double.</summary>
    private const double FractionTolerance = 1e-5;

    private string Sweep => $"sweep=\"{grid.Sweep}\"";

    [Fact]
    public async Task Prometheus_sees_the_grid_series_and_they_agree_with_summary_csv()
    {
        var prometheus = grid.Prometheus;
        var rows = grid.Rows;
        int runs = grid.Status.Runs.Count;
        Assert.True(rows.Count >= runs, $"summary.csv has {rows.Count} finished rows for {runs} runs");

        // Wait for a scrape taken after the last iteration and its analysis.
        await PrometheusServer.WaitUntilAsync(async () =>
        {
            double? finished = await prometheus.ScalarAsync($"sum(grid_iterations_finished_total{{{Sweep}}})");
            double? done = await prometheus.ScalarAsync($"max(grid_sweep_iterations_done{{{Sweep}}})");
            double? analyses = await prometheus.ScalarAsync($"sum(grid_analyses_finished_total{{{Sweep}}}) + sum(grid_analyses_failed_total{{{Sweep}}})");
            double? busy = await prometheus.ScalarAsync("sum(grid_device_slots_busy)");
            return (finished == rows.Count && done == rows.Count && analyses == rows.Count && busy == 0,
                $"finished {finished}, sweep iterations done {done}, analyses {analyses}, busy slots {busy}; summary rows {rows.Count}");
        }, ProgressWait.EventBound, "Prometheus showing the finished sweep");

        Assert.Equal(1, await prometheus.ScalarAsync($"up{{job=\"{PrometheusServer.Job}\"}}"));

        // Counters and histograms of the trainer.
        Assert.Equal(rows.Count, await prometheus.ScalarAsync($"sum(grid_iterations_started_total{{{Sweep}}})"));
        Assert.Equal(0, await prometheus.ScalarAsync($"sum(grid_iterations_failed_total{{{Sweep}}})"));
        Assert.Equal(0, await prometheus.ScalarAsync($"sum(grid_iterations_cancelled_total{{{Sweep}}})"));
        Assert.Equal(rows.Count, await prometheus.ScalarAsync($"sum(grid_iteration_duration_seconds_count{{{Sweep}}})"));
        Assert.Equal(rows.Count * 40, await prometheus.ScalarAsync($"sum(grid_training_steps_total{{{Sweep}}})"));
        Assert.Equal(rows.Count * 2, await prometheus.ScalarAsync($"sum(grid_training_step_duration_seconds_count{{{Sweep}}})")); // one sample per validation window
        Assert.True(await prometheus.ScalarAsync($"sum(grid_iteration_duration_seconds_sum{{{Sweep}}})") > 0);
        Assert.Equal(rows.Count, await prometheus.ScalarAsync($"sum(grid_analyses_finished_total{{{Sweep}, analysis=\"connectivity\"}})"));

        // Device slots of the one silo.
        var slots = await prometheus.QueryAsync("grid_device_slots");
        var slot = Assert.Single(slots);
        Assert.Equal(1, slot.Value);
        Assert.Equal("cpu", slot["device"]);
        Assert.Equal($"127.0.0.1:{grid.Silo.SiloPort}", slot["silo"]);
        Assert.Equal(0, await prometheus.ScalarAsync("sum(grid_work_queued)"));

        // Coordinator aggregates.
        Assert.Equal(runs, await prometheus.ScalarAsync($"max(grid_sweep_runs{{{Sweep}}})"));
        Assert.Equal(runs, await prometheus.ScalarAsync($"max(grid_sweep_runs_done{{{Sweep}}})"));
        Assert.Equal(0, await prometheus.ScalarAsync($"max(grid_sweep_runs_failed{{{Sweep}}})"));
        Assert.Equal(rows.Count, await prometheus.ScalarAsync($"max(grid_sweep_iterations_estimated{{{Sweep}}})"));

        double bestInSummary = rows.Max(r => r.BestValAccuracy);
        AssertClose(bestInSummary, await prometheus.ScalarAsync($"max(grid_validation_accuracy_best{{{Sweep}}})"), AccuracyTolerance, "max live best accuracy");
        AssertClose(bestInSummary, await prometheus.ScalarAsync($"max(grid_sweep_validation_accuracy_best{{{Sweep}}})"), AccuracyTolerance, "sweep best accuracy");

        // Every finished iteration: its live gauges end on its summary.csv row.
        var best = await ByRunAndIteration($"grid_validation_accuracy_best{{{Sweep}}}");
        var unpruned = await ByRunAndIteration($"grid_unpruned_fraction{{{Sweep}}}");
        var progress = await ByRunAndIteration($"grid_iteration_progress{{{Sweep}}}");
        Assert.Equal(rows.Count, best.Count);
        foreach (var row in rows)
        {
            var key = (row.Run, row.Iteration.ToString(CultureInfo.InvariantCulture));
            Assert.True(best.ContainsKey(key), $"no grid_validation_accuracy_best series for run {row.Run} iteration {row.Iteration}");
            AssertClose(row.BestValAccuracy, best[key], AccuracyTolerance, $"best accuracy of {key}");
            AssertClose(row.UnprunedFraction, unpruned[key], FractionTolerance, $"unpruned fraction of {key}");
            Assert.Equal(1, progress[key]);
        }

        // Per run and per axis value.
        foreach (var run in rows.GroupBy(r => r.Run))
        {
            Assert.Equal(run.Count(), await prometheus.ScalarAsync($"max(grid_sweep_run_iterations_done{{{Sweep}, run=\"{run.Key}\"}})"));
            AssertClose(run.Max(r => r.BestValAccuracy),
                await prometheus.ScalarAsync($"max(grid_sweep_run_validation_accuracy_best{{{Sweep}, run=\"{run.Key}\"}})"), AccuracyTolerance, $"best of run {run.Key}");
        }

        Assert.Equal(["seed"], grid.Axes);
        foreach (var value in rows.GroupBy(r => r.Axes["seed"]))
        {
            AssertClose(value.Max(r => r.BestValAccuracy),
                await prometheus.ScalarAsync($"max(grid_sweep_axis_validation_accuracy_best{{{Sweep}, axis=\"seed\", value=\"{value.Key}\"}})"),
                AccuracyTolerance, $"best accuracy at seed {value.Key}");
        }

        // Orleans' own meter and the .NET runtime metrics are exported too.
        var names = await prometheus.MetricNamesAsync();
        Assert.Contains(names, n => n.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("dotnet_", StringComparison.Ordinal) || n.StartsWith("process_runtime_dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_silo_serves_metrics_and_health_on_the_same_web_port()
    {
        string text = await grid.Silo.ScrapeAsync();
        Assert.Contains("# TYPE grid_training_steps_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE grid_iteration_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("otel_scope_name=\"Grid\"", text, StringComparison.Ordinal);

        var lint = await Promtool.CheckMetricsAsync(text);
        Assert.True(lint.All(l => !l.StartsWith("grid_", StringComparison.Ordinal)),
            $"promtool check metrics finds problems in the grid's metrics:\n{string.Join("\n", lint.Where(l => l.StartsWith("grid_", StringComparison.Ordinal)))}");

        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri(grid.Silo.Web, "/healthz"));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"slots\":1", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<Dictionary<(string Run, string Iteration), double>> ByRunAndIteration(string promql)
    {
        var samples = await grid.Prometheus.QueryAsync(promql);
        var keyed = samples.GroupBy(s => (s["run"], s["iteration"])).ToDictionary(g => g.Key, g => g.Max(s => s.Value));
        Assert.Equal(samples.Count, keyed.Count); // one series per run and iteration (a single silo)
        return keyed;
    }

    private static void AssertClose(double expected, double? actual, double tolerance, string what)
    {
        Assert.True(actual is not null, $"{what}: Prometheus returned no value (expected {expected})");
        Assert.True(Math.Abs(expected - actual.Value) <= tolerance, $"{what}: Prometheus says {actual}, summary.csv says {expected}");
    }
}
