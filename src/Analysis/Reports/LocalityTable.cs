using System.Globalization;
using System.Text.Json;

namespace Grid.Analysis.Reports;

/// <summary>The locality summary JSON of an iteration (observed vs random pruning vs degree-preserving shuffle) as a table.</summary>
internal static class LocalityTable
{
    private static readonly (string Key, string Label)[] Metrics =
    [
        ("mean_distance", "mean |d| of same-channel pairs"),
        ("share_within_radius1", "share with |d| ≤ 1"),
        ("share_within_radius2", "share with |d| ≤ 2"),
        ("share_within_radius3", "share with |d| ≤ 3"),
    ];

    public static void Write(Html html, string path, string caption)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        html.Element("h4", caption);
        html.Open("table", "locality").Open("thead").Open("tr");
        foreach (string column in new[] { "metric", "observed", "random pruning (expected)", "random pruning (samples)", "degree-preserving shuffle", "z vs random", "z vs shuffle" })
        {
            html.Element("th", column);
        }
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var (key, label) in Metrics)
        {
            html.Open("tr").Element("td", label);
            Cell(html, Value(root, "observed", key));
            Cell(html, Value(root, "random_pruning_expected", key));
            Cell(html, MeanStd(root, "random_pruning", key));
            Cell(html, MeanStd(root, "degree_preserving", key));
            Cell(html, Value(root, "z_scores_vs_random_pruning", key));
            Cell(html, Value(root, "z_scores_vs_degree_preserving", key));
            html.Close("tr");
        }
        html.Close("tbody").Close("table");
    }

    private static void Cell(Html html, string text) => html.Element("td", text, "num");

    private static string MeanStd(JsonElement root, string model, string key) =>
        root.TryGetProperty(model, out JsonElement distribution)
            ? $"{Value(distribution, "mean", key)} ± {Value(distribution, "standard_deviation", key)}"
            : "–";

    private static string Value(JsonElement parent, string property, string key)
    {
        if (!parent.TryGetProperty(property, out JsonElement summary) || !summary.TryGetProperty(key, out JsonElement value))
        {
            return "–";
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble().ToString("G4", CultureInfo.InvariantCulture),
            JsonValueKind.String => value.GetString() ?? "–",
            _ => "–",
        };
    }
}
