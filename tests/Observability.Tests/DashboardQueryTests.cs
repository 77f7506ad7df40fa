using System.Text.RegularExpressions;
using Grid.Observability.Tests.Support;
using static Grid.Observability.Tests.Support.GrafanaDashboards;

namespace Grid.Observability.Tests;

/// <summary>
/// The dashboards against the real thing: every metric their queries use exists in a real scrape of a silo that ran a
/// sweep, and every query runs in a real Prometheus and returns data.
/// </summary>
[Collection(ObservedGridCollection.Name)]
public sealed class DashboardQueryTests(ObservedGrid grid)
{
    /// <summary>Series Prometheus makes itself for every target (not in any /metrics body).</summary>
    private static readonly HashSet<string> PrometheusSynthetic = new(StringComparer.Ordinal)
    {
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added",
    };

    public static TheoryData<string> Dashboards() => Theory();

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Every_metric_a_dashboard_queries_exists_in_a_real_scrape(string file)
    {
        var dashboard = Load(file);
        var scraped = ScrapedNames(await grid.Silo.ScrapeAsync());
        var inPrometheus = await grid.Prometheus.MetricNamesAsync();
        var missing = new List<string>();
        foreach (var (where, expr) in Expressions(dashboard))
        {
            foreach (string name in PromQl.MetricNames(expr))
            {
                bool exists = PrometheusSynthetic.Contains(name) ? inPrometheus.Contains(name) : scraped.Contains(name);
                if (!exists)
                {
                    missing.Add($"{name} ({where}: {expr})");
                }
            }
        }

        foreach (var (name, variable) in Variables(dashboard).Where(v => v.Key != "datasource"))
        {
            string? metric = PromQl.VariableMetric(VariableQuery(variable));
            if (metric is not null && !scraped.Contains(metric))
            {
                missing.Add($"{metric} (variable {name})");
            }
        }

        Assert.True(missing.Count == 0, $"{file} queries metrics the silo does not export:\n{string.Join("\n", missing)}");
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Every_query_of_a_dashboard_runs_in_prometheus_and_returns_data(string file)
    {
        var dashboard = Load(file);
        var values = new Dictionary<string, string>
        {
            ["sweep"] = Regex.Escape(grid.Sweep),
            ["run"] = ".*",
            ["silo"] = ".*",
        };
        await PrometheusServer.WaitUntilAsync(async () =>
        {
            double? done = await grid.Prometheus.ScalarAsync($"max(grid_sweep_iterations_done{{sweep=\"{grid.Sweep}\"}})");
            return (done == grid.Rows.Count, $"iterations done {done}");
        }, ProgressWait.EventBound, "Prometheus showing the finished sweep");

        async Task<List<string>> EmptyQueriesAsync()
        {
            var empty = new List<string>();
            foreach (var (where, expr) in Expressions(dashboard))
            {
                string query = PromQl.Interpolate(expr, values);
                var result = await grid.Prometheus.QueryAsync(query); // fails on a PromQL error
                if (result.Count == 0 && !IsLiveOnly(expr))
                {
                    empty.Add($"{where}: {query}");
                }
            }

            return empty;
        }

        // rate() over a counter needs two scrapes after the series first appeared; a tiny sweep can finish before that.
        var empty = await EmptyQueriesAsync();
        for (int attempt = 0; attempt < 20 && empty.Count > 0; attempt++)
        {
            await Task.Delay(500);
            empty = await EmptyQueriesAsync();
        }

        foreach (var (name, variable) in Variables(dashboard).Where(v => v.Key != "datasource"))
        {
            string selector = VariableSelector(VariableQuery(variable)) ?? "";
            Assert.True(selector.Length > 0, $"{file}: variable {name} has no label_values selector");
            var series = await grid.Prometheus.QueryAsync(PromQl.Interpolate(selector, values));
            Assert.True(series.Count > 0, $"{file}: variable {name} ({selector}) finds no series");
        }

        Assert.True(empty.Count == 0, $"{file}: queries without data after a finished sweep:\n{string.Join("\n", empty)}");
    }
}
