using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Grid.Observability.Tests.Support;

/// <summary>Reads the Grafana dashboards of k8s/grafana: panels (rows included), PromQL expressions, template variables.</summary>
public static partial class GrafanaDashboards
{
    public const string Folder = "k8s/grafana";

    public static IReadOnlyList<string> Files() =>
        [.. Directory.GetFiles(Repo.PathOf(Folder), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Theory()
    {
        var data = new TheoryData<string>();
        foreach (string file in Files())
        {
            data.Add(file);
        }

        return data;
    }

    public static JsonObject Load(string file)
    {
        var node = JsonNode.Parse(Repo.Read($"{Folder}/{file}"));
        Assert.True(node is JsonObject, $"{file} is not a JSON object");
        return (JsonObject)node;
    }

    /// <summary>Every panel, including those nested in (collapsed) rows.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard)
    {
        foreach (var panel in dashboard["panels"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            yield return panel;
            foreach (var nested in panel["panels"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                yield return nested;
            }
        }
    }

    public static IEnumerable<(string Where, string Expr)> Expressions(JsonObject dashboard) =>
        Panels(dashboard)
            .SelectMany(p => (p["targets"]?.AsArray().OfType<JsonObject>() ?? [])
                .Select(t => (Where: $"panel {p["id"]} '{p["title"]}' {t["refId"]}", Expr: t["expr"]?.GetValue<string>() ?? "")))
            .Where(e => e.Expr.Length > 0);

    public static Dictionary<string, JsonObject> Variables(JsonObject dashboard) =>
        (dashboard["templating"]?["list"]?.AsArray().OfType<JsonObject>() ?? [])
            .ToDictionary(v => v["name"]?.GetValue<string>() ?? "", v => v, StringComparer.Ordinal);

    /// <summary>The query of a query variable (a string, or Grafana 10's {query: ...} object).</summary>
    public static string VariableQuery(JsonObject variable) => variable["query"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonObject query => query["query"]?.GetValue<string>() ?? "",
        _ => variable["definition"]?.GetValue<string>() ?? "",
    };

    /// <summary>The series selector inside label_values(selector, label).</summary>
    public static string? VariableSelector(string query)
    {
        var match = LabelValuesSelector().Match(query);
        return match.Success ? match.Groups["selector"].Value : null;
    }

    /// <summary>A query that keeps only what is happening now (e.g. progress &lt; 1) may be empty once the sweep ended.</summary>
    public static bool IsLiveOnly(string expression) => LiveOnly().IsMatch(expression);

    /// <summary>Sample names and metric family names of a Prometheus text exposition.</summary>
    public static HashSet<string> ScrapedNames(string text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                names.Add(line.Split(' ')[2]);
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                int end = line.IndexOfAny(['{', ' ']);
                names.Add(end > 0 ? line[..end] : line);
            }
        }

        return names;
    }

    [GeneratedRegex(@"[)}]\s*(?:<|>|<=|>=|==|!=)\s*[0-9.]+\s*\)?\s*$")]
    private static partial Regex LiveOnly();

    [GeneratedRegex(@"label_values\(\s*(?<selector>[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\s*,")]
    private static partial Regex LabelValuesSelector();
}
