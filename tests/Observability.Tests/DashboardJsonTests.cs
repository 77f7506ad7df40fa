using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grid.Observability.Tests.Support;
using static Grid.Observability.Tests.Support.GrafanaDashboards;

namespace Grid.Observability.Tests;

/// <summary>The Grafana dashboards (k8s/grafana/*.json) are valid dashboard JSON and shipped by kustomize. No services needed.</summary>
public sealed class DashboardJsonTests
{
    private const int MinimumSchemaVersion = 36;

    public static TheoryData<string> Dashboards() => Theory();

    [Fact]
    public void There_are_a_cluster_overview_and_a_sweep_view_and_kustomize_ships_both()
    {
        var dashboards = Files().ToDictionary(f => f, Load);
        Assert.True(dashboards.Count >= 2, $"expected the cluster overview and the sweep view in {Folder}, found {string.Join(", ", dashboards.Keys)}");
        var uids = dashboards.Values.Select(d => d["uid"]?.GetValue<string>()).ToList();
        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.Contains("grid-overview", uids);
        Assert.Contains("grid-sweep", uids);

        string kustomization = Repo.Read($"{Folder}/kustomization.yaml");
        foreach (string file in dashboards.Keys)
        {
            Assert.Matches(new Regex($@"^\s*-\s*{Regex.Escape(file)}\s*$", RegexOptions.Multiline), kustomization);
        }

        var overview = Variables(dashboards.Values.Single(d => d["uid"]?.GetValue<string>() == "grid-overview"));
        var sweep = Variables(dashboards.Values.Single(d => d["uid"]?.GetValue<string>() == "grid-sweep"));
        Assert.Contains("silo", overview.Keys);
        Assert.Contains("sweep", sweep.Keys);
        Assert.Contains("run", sweep.Keys);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_is_valid_grafana_json(string file)
    {
        var dashboard = Load(file);
        Assert.False(string.IsNullOrWhiteSpace(dashboard["title"]?.GetValue<string>()), $"{file}: no title");
        Assert.False(string.IsNullOrWhiteSpace(dashboard["uid"]?.GetValue<string>()), $"{file}: no uid");
        int schema = dashboard["schemaVersion"]?.GetValue<int>() ?? 0;
        Assert.True(schema >= MinimumSchemaVersion, $"{file}: schemaVersion {schema} < {MinimumSchemaVersion}");

        var variables = Variables(dashboard);
        var datasource = variables.GetValueOrDefault("datasource");
        Assert.True(datasource is not null, $"{file}: no datasource template variable");
        Assert.Equal("datasource", datasource["type"]?.GetValue<string>());
        Assert.Equal("prometheus", datasource["query"]?.GetValue<string>());
        foreach (var (name, variable) in variables.Where(v => v.Key != "datasource"))
        {
            Assert.Equal("query", variable["type"]?.GetValue<string>());
            Assert.True(PromQl.VariableMetric(VariableQuery(variable)) is not null, $"{file}: variable {name} is not a label_values(metric, label) query");
            Assert.Equal("${datasource}", variable["datasource"]?["uid"]?.GetValue<string>());
        }

        var panels = Panels(dashboard).ToList();
        Assert.NotEmpty(panels);
        var ids = panels.Select(p => p["id"]?.GetValue<int>()).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.True(ids.Distinct().Count() == ids.Count, $"{file}: panel ids repeat: {string.Join(",", ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key))}");

        foreach (var panel in panels)
        {
            string where = $"{file}: panel {panel["id"]} '{panel["title"]}'";
            Assert.False(string.IsNullOrWhiteSpace(panel["type"]?.GetValue<string>()), $"{where}: no type");
            Assert.True(panel["gridPos"] is JsonObject, $"{where}: no gridPos");
            var position = (JsonObject)panel["gridPos"]!;
            int x = position["x"]!.GetValue<int>(), w = position["w"]!.GetValue<int>(), h = position["h"]!.GetValue<int>();
            Assert.True(x >= 0 && w > 0 && h > 0 && x + w <= 24, $"{where}: gridPos {position.ToJsonString()} is outside the 24-column grid");
        }

        var content = panels.Where(p => p["type"]?.GetValue<string>() != "row").ToList();
        Assert.NotEmpty(content);
        foreach (var panel in content)
        {
            string where = $"{file}: panel {panel["id"]} '{panel["title"]}'";
            Assert.False(string.IsNullOrWhiteSpace(panel["title"]?.GetValue<string>()), $"{where}: no title");
            Assert.Equal("${datasource}", panel["datasource"]?["uid"]?.GetValue<string>());
            var targets = panel["targets"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            Assert.True(targets.Count > 0, $"{where}: no targets");
            Assert.True(targets.Select(t => t["refId"]?.GetValue<string>()).Distinct().Count() == targets.Count, $"{where}: refIds repeat");
            foreach (var target in targets)
            {
                string expr = target["expr"]?.GetValue<string>() ?? "";
                Assert.False(string.IsNullOrWhiteSpace(expr), $"{where}: target {target["refId"]} has no expr");
                Assert.NotEmpty(PromQl.MetricNames(expr));
                var undefined = PromQl.Variables(expr).Where(v => !variables.ContainsKey(v)).ToList();
                Assert.True(undefined.Count == 0, $"{where}: {expr} uses undefined variables {string.Join(", ", undefined)}");
            }
        }
    }
}
