using System.Text.Json.Nodes;
using Grid.Engine.Sweeps;

namespace Grid.Client.Specs;

/// <summary>
/// Applies command-line overrides to a sweep document before it is compiled, so that they are checked exactly as the
/// file is: an experiment field given one value is set in <c>base</c> (a mapping value is merged, as on a matrix axis);
/// given several values it becomes a new matrix axis (the innermost); a field the matrix already sweeps gets the new
/// values on its axis. <c>name</c> and <c>analysis</c> set those keys (<c>analysis=curves,masks</c> is the list).
/// </summary>
public static class SpecOverrides
{
    /// <summary>What the overrides did to the document: the paths each one set (errors there name it) and, for
    /// people, one line per override.</summary>
    public sealed record Applied(IReadOnlyList<(string Path, string Override)> Origins, IReadOnlyList<string> Descriptions, IReadOnlyList<SpecError> Errors)
    {
        public static readonly Applied None = new([], [], []);

        /// <summary>The override that set <paramref name="path"/> (or a value containing it), or null.</summary>
        public string? OriginOf(string path) =>
            Origins.Where(o => path == o.Path || path.StartsWith(o.Path + ".", StringComparison.Ordinal) || path.StartsWith(o.Path + "[", StringComparison.Ordinal))
                .Select(o => o.Override).LastOrDefault();
    }

    private const string BasePrefix = "base.";

    /// <param name="document">Changed in place; left alone when it is not a mapping (the compiler reports that).</param>
    public static Applied Apply(JsonNode? document, IReadOnlyList<SpecOverride> overrides)
    {
        if (overrides.Count == 0 || document is not JsonObject root)
        {
            return Applied.None;
        }

        var origins = new List<(string, string)>();
        var descriptions = new List<string>();
        var errors = new List<SpecError>();
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in overrides)
        {
            string key = item.Key.StartsWith(BasePrefix, StringComparison.Ordinal) ? item.Key[BasePrefix.Length..] : item.Key;
            if (given.TryGetValue(key, out string? earlier))
            {
                errors.Add(Problem(item, $"{key} is already set by {earlier}"));
                continue;
            }

            given[key] = item.Text;
            string? description = key switch
            {
                "name" => SetName(root, item, origins, errors),
                "analysis" => SetAnalysis(root, item, origins),
                "matrix" or "base" => Refuse(item, errors, $"'{key}' cannot be overridden as a whole: set a field (e.g. training.steps=500), or give it several values to add a matrix axis (e.g. seed=0,1,2)"),
                _ => SetField(root, key, item, origins, errors),
            };
            if (description is not null)
            {
                descriptions.Add(description);
            }
        }

        return new Applied(origins, descriptions, errors);
    }

    private static string? SetName(JsonObject root, SpecOverride item, List<(string, string)> origins, List<SpecError> errors)
    {
        if (item.Values.Count != 1)
        {
            return Refuse(item, errors, "a sweep has one name");
        }

        root["name"] = item.Values[0]?.DeepClone();
        origins.Add(("name", item.Text));
        return $"{item.Text}: the sweep's name";
    }

    private static string SetAnalysis(JsonObject root, SpecOverride item, List<(string, string)> origins)
    {
        // analysis=[curves,masks] and analysis=curves,masks both give the list; analysis=[] the defaults.
        root["analysis"] = item.Values is [JsonArray list] ? list.DeepClone() : new JsonArray([.. item.Values.Select(v => v?.DeepClone())]);
        origins.Add(("analysis", item.Text));
        return $"{item.Text}: the analysis list";
    }

    private static string? SetField(JsonObject root, string field, SpecOverride item, List<(string, string)> origins, List<SpecError> errors)
    {
        var shape = SweepCompiler.ExperimentShape;
        if (shape.Resolve(field) is null)
        {
            var known = shape.FieldPaths().Concat(["name", "analysis"]);
            return Refuse(item, errors, $"unknown experiment field '{field}'{Suggest.Hint(field, known)}");
        }

        var matrix = root["matrix"] as JsonArray;
        int axis = matrix is null ? -1 : matrix.ToList().FindIndex(a => a is JsonObject o && o["field"] is JsonValue f && f.TryGetValue(out string? name) && name == field);
        if (axis >= 0)
        {
            matrix![axis]!["values"] = Values(item);
            origins.Add(($"matrix[{axis}].values", item.Text));
            return $"{item.Text}: replaces the values of matrix[{axis}] ({field}): {Count(item)}";
        }

        if (item.Values.Count == 1)
        {
            if (!root.TryGetPropertyValue("base", out var baseNode) || baseNode is null)
            {
                root["base"] = baseNode = new JsonObject();
            }

            if (baseNode is JsonObject baseObject)
            {
                JsonPaths.Overlay(baseObject, field, item.Values[0]?.DeepClone());
                origins.AddRange(SetPaths($"base.{field}", item.Values[0]).Select(p => (p, item.Text)));
            }

            return $"{item.Text}: base.{field}";
        }

        if (!root.TryGetPropertyValue("matrix", out var matrixNode) || matrixNode is null)
        {
            root["matrix"] = matrixNode = new JsonArray();
        }

        if (matrixNode is JsonArray axes)
        {
            axes.Add(new JsonObject { ["field"] = field, ["values"] = Values(item) });
            origins.Add(($"matrix[{axes.Count - 1}]", item.Text));
            return $"{item.Text}: a new matrix axis {field} ({Count(item)})";
        }

        return null;
    }

    /// <summary>The paths a value sets: every key of a mapping value (merged into what is there), else the path itself.</summary>
    private static IEnumerable<string> SetPaths(string path, JsonNode? value) =>
        value is JsonObject mapping && mapping.Count > 0
            ? mapping.SelectMany(p => SetPaths($"{path}.{p.Key}", p.Value))
            : [path];

    private static JsonArray Values(SpecOverride item) => new([.. item.Values.Select(v => v?.DeepClone())]);

    private static string Count(SpecOverride item) => $"{item.Values.Count} value{(item.Values.Count == 1 ? "" : "s")}";

    private static string? Refuse(SpecOverride item, List<SpecError> errors, string message)
    {
        errors.Add(Problem(item, message));
        return null;
    }

    private static SpecError Problem(SpecOverride item, string message) => new("(command line)", message) { Override = item.Text };
}
