using Grid.Observability.Tests.Support;

namespace Grid.Observability.Tests;

/// <summary>The metric-name reader the dashboard tests rely on.</summary>
public sealed class PromQlTests
{
    [Theory]
    [InlineData("sum(up{job=\"grid-silos\"})", "up")]
    [InlineData("histogram_quantile(0.95, sum by (le) (rate(grid_iteration_duration_seconds_bucket{silo=~\"$silo\", sweep=~\"$sweep\"}[$__rate_interval])))", "grid_iteration_duration_seconds_bucket")]
    [InlineData("sum(rate(a_sum[5m])) / sum(rate(a_count[5m]))", "a_sum,a_count")]
    [InlineData("(sum(x_total) or vector(0)) + on (sweep) group_left (run) max by (sweep, run) (y)", "x_total,y")]
    [InlineData("60 * sum by (analysis) (rate(grid_analyses_finished_total{sweep=\"a-b\", analysis=\"by\"}[1m])) offset 5m", "grid_analyses_finished_total")]
    [InlineData("max by (run, iteration) (grid_iteration_progress{sweep=\"$sweep\"} < 1)", "grid_iteration_progress")]
    public void Finds_the_metric_names_of_an_expression(string expression, string expected)
    {
        Assert.Equal(expected.Split(',').Order(StringComparer.Ordinal), PromQl.MetricNames(expression).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Interpolates_grafana_variables_and_intervals()
    {
        string expression = "rate(m{sweep=\"$sweep\", run=~\"${run}\"}[$__rate_interval]) + last_over_time(m[$__range])";
        Assert.Equal(["run", "sweep"], PromQl.Variables(expression).Order(StringComparer.Ordinal));
        Assert.Equal("rate(m{sweep=\"s\", run=~\".*\"}[1m]) + last_over_time(m[5m])",
            PromQl.Interpolate(expression, new Dictionary<string, string> { ["sweep"] = "s", ["run"] = ".*" }));
        Assert.Equal("grid_sweep_runs", PromQl.VariableMetric("label_values(grid_sweep_runs, sweep)"));
        Assert.Equal("grid_sweep_run_iterations_done{sweep=\"$sweep\"}", GrafanaDashboards.VariableSelector("label_values(grid_sweep_run_iterations_done{sweep=\"$sweep\"}, run)"));
    }
}
