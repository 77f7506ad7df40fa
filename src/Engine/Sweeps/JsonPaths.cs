using System.Text.Json.Nodes;

namespace Grid.Engine.Sweeps;

/// <summary>Reads and replaces values at dotted snake_case paths (e.g. <c>training.learning_rate</c>) in a JSON tree.</summary>
public static class JsonPaths
{
    public static JsonNode? Get(JsonNode? root, string dottedPath)
    {
        JsonNode? current = root;
        foreach (string segment in dottedPath.Split('.'))
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Sets the value at the path, creating intermediate mappings that are missing or null.</summary>
    public static void Set(JsonObject root, string dottedPath, JsonNode? value)
    {
        string[] segments = dottedPath.Split('.');
        JsonObject current = root;
        foreach (string segment in segments[..^1])
        {
            if (current[segment] is not JsonObject next)
            {
                next = new JsonObject();
                current[segment] = next;
            }

            current = next;
        }

        current[segments[^1]] = value;
    }

    /// <summary>Like <see cref="Set"/>, but a mapping value is merged into an existing mapping key by key (recursively),
    /// so an axis value such as <c>{optimizer: adam, learning_rate: 0.01}</c> for <c>training</c> keeps the base's
    /// other training fields.</summary>
    public static void Overlay(JsonObject root, string dottedPath, JsonNode? value)
    {
        if (value is JsonObject mapping && Get(root, dottedPath) is JsonObject existing)
        {
            foreach (var (key, child) in mapping)
            {
                Overlay(existing, key, child?.DeepClone());
            }

            return;
        }

        Set(root, dottedPath, value);
    }

    /// <summary>Removes the field at the path (a no-op when absent).</summary>
    public static void Remove(JsonObject root, string dottedPath)
    {
        string[] segments = dottedPath.Split('.');
        JsonObject? current = root;
        foreach (string segment in segments[..^1])
        {
            current = current?[segment] as JsonObject;
        }

        current?.Remove(segments[^1]);
    }

    /// <summary>Compact display of a value for tables and CSV: strings unquoted, lists as JSON, mappings as key=value.</summary>
    public static string Display(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        JsonObject o => string.Join(" ", o.Select(p => $"{p.Key}={Display(p.Value)}")),
        _ => value.ToJsonString(),
    };
}
