using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grid.Engine.Sweeps;

/// <summary>Checks a JSON tree against a <see cref="SpecShape"/>, collecting every mismatch with its path.</summary>
public static class ShapeChecker
{
    /// <param name="report">Receives (path below <paramref name="path"/>, message) for each problem.</param>
    public static void Check(JsonNode? node, SpecShape shape, string path, Action<string, string> report)
    {
        if (node is null)
        {
            if (!shape.Nullable)
            {
                report(path, $"expected {shape.Describe()}, got nothing (null)");
            }

            return;
        }

        switch (shape)
        {
            case ObjectShape obj:
                if (node is not JsonObject jsonObject)
                {
                    report(path, $"expected a mapping, got {KindOf(node)}");
                    return;
                }

                foreach (var (key, value) in jsonObject)
                {
                    string child = Join(path, key);
                    if (obj.Field(key) is { } fieldShape)
                    {
                        Check(value, fieldShape, child, report);
                    }
                    else
                    {
                        report(child, "unknown field" + Suggest.Hint(key, obj.FieldNames));
                    }
                }

                break;
            case ListShape list:
                if (node is not JsonArray array)
                {
                    report(path, $"expected {list.Describe()}, got {KindOf(node)}");
                    return;
                }

                for (int i = 0; i < array.Count; i++)
                {
                    Check(array[i], list.Element, $"{path}[{i}]", report);
                }

                break;
            case ScalarShape scalar:
                CheckScalar(node, scalar, path, report);
                break;
        }
    }

    public static string KindOf(JsonNode? node) => node switch
    {
        null => "nothing (null)",
        JsonObject => "a mapping",
        JsonArray => "a list",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => $"the string '{node.GetValue<string>()}'",
            JsonValueKind.Number => $"the number {node.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {node.ToJsonString()}",
            _ => node.ToJsonString(),
        },
    };

    private static void CheckScalar(JsonNode node, ScalarShape shape, string path, Action<string, string> report)
    {
        if (node is not JsonValue)
        {
            report(path, $"expected {shape.Describe()}, got {KindOf(node)}");
            return;
        }

        var element = JsonSerializer.SerializeToElement(node);
        bool ok = shape.Kind switch
        {
            ScalarKind.String => element.ValueKind == JsonValueKind.String,
            ScalarKind.Boolean => element.ValueKind is JsonValueKind.True or JsonValueKind.False,
            ScalarKind.Integer => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _),
            ScalarKind.Long => element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out _),
            ScalarKind.AutoOrInteger => (element.ValueKind == JsonValueKind.String && element.GetString() == Specs.AutoOrIntegerConverter.Auto)
                || (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _)),
            _ => element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out double d) && double.IsFinite(d),
        };
        if (!ok)
        {
            report(path, $"expected {shape.Describe()}, got {KindOf(node)}");
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
