using System.Text.Json.Nodes;
using Grid.Engine.Sweeps;

namespace Grid.Client.Specs;

/// <summary>
/// One command-line override of a sweep file, Hydra style: <c>key=value</c> sets a field, <c>key=v1,v2,...</c> makes
/// it a matrix axis. The value is read as YAML flow text, so <c>0.1</c> is a number, <c>'1'</c> a string,
/// <c>[512,512]</c> a list and <c>{optimizer: adam, learning_rate: 0.01}</c> a mapping; commas inside brackets or
/// quotes do not separate values.
/// </summary>
public sealed record SpecOverride(string Text, string Key, IReadOnlyList<JsonNode?> Values)
{
    /// <summary>True when <paramref name="argument"/> has the form of an override (a key, '=', a value).</summary>
    public static bool Looks(string argument) => argument.IndexOf('=', StringComparison.Ordinal) > 0 && !argument.StartsWith('-');

    /// <summary>The override, or the error that names it.</summary>
    public static (SpecOverride? Override, SpecError? Error) Parse(string text, YamlLimits? limits = null)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (!Looks(text))
        {
            return (null, Problem(text, "expected key=value (e.g. training.steps=500) or key=v1,v2,... (a matrix axis)"));
        }

        string key = text[..equals].Trim();
        string value = text[(equals + 1)..];
        if (value.Trim().Length == 0)
        {
            return (null, Problem(text, $"no value for {key}"));
        }

        // The values as one YAML flow sequence: YAML itself splits at the top-level commas.
        var yaml = YamlDocument.Parse($"[{value}]", limits);
        if (yaml.Errors.Count > 0)
        {
            return (null, Problem(text, yaml.Errors[0].Message));
        }

        if (yaml.Root is not JsonArray { Count: > 0 } values)
        {
            return (null, Problem(text, $"no value for {key}"));
        }

        return (new SpecOverride(text, key, [.. values.Select(v => v?.DeepClone())]), null);
    }

    private static SpecError Problem(string text, string message) => new("(command line)", message) { Override = text };
}
