using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grid.Observability.Tests.Support;

namespace Grid.Observability.Tests;

/// <summary>The local Prometheus configuration scrapes the silo's web port and agrees with the Kubernetes one.</summary>
public sealed partial class ScrapeConfigTests
{
    private const string Local = "k8s/prometheus/prometheus-local.yml";

    [Fact]
    public async Task The_local_config_is_valid_and_scrapes_the_silo_web_port_as_job_grid_silos()
    {
        var (exitCode, output) = await Promtool.CheckConfigAsync(Repo.PathOf(Local));
        Assert.True(exitCode == 0, $"promtool check config {Local}:\n{output}");

        string config = Repo.Read(Local);
        var appsettings = JsonNode.Parse(Repo.Read("src/Silo/appsettings.json"))!;
        var urls = new Uri(appsettings["Urls"]!.GetValue<string>());
        Assert.Contains($"\"127.0.0.1:{urls.Port}\"", config, StringComparison.Ordinal);
        Assert.Matches(MetricsPath(), config);
        Assert.Equal("grid-silos", JobName().Match(config).Groups["job"].Value);
        Assert.Equal("grid-silos", JobName().Match(Repo.Read("k8s/prometheus/scrape-config.yaml")).Groups["job"].Value);
    }

    [GeneratedRegex(@"job_name:\s*(?<job>[\w-]+)")]
    private static partial Regex JobName();

    [GeneratedRegex(@"metrics_path:\s*/metrics\s*$", RegexOptions.Multiline)]
    private static partial Regex MetricsPath();
}
