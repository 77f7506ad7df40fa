using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grid.Engine.Sweeps;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Grid.Client.Specs;

/// <summary>
/// Reads YAML into a JSON tree (what the sweep compiler and the coordinator take) and remembers the line of every
/// path, so that errors can point into the file. Plain scalars are typed the YAML 1.2 core way (null, true/false,
/// integers — underscores allowed —, floats); quoted scalars are always strings.
/// </summary>
public sealed partial class YamlDocument
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    private YamlDocument(JsonNode? root, IReadOnlyList<SpecError> errors)
    {
        Root = root;
        Errors = errors;
    }

    public JsonNode? Root { get; private set; }

    /// <summary>Syntax errors (the tree is unusable when there are any).</summary>
    public IReadOnlyList<SpecError> Errors { get; }

    public int? LineOf(string path) => _lines.TryGetValue(path, out int line) ? line : null;

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    public static YamlDocument Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            string message = error.InnerException?.Message ?? error.Message;
            return new YamlDocument(null, [new SpecError("(document)", $"not valid YAML: {message}") { Line = (int)error.Start.Line }]);
        }

        if (stream.Documents.Count != 1)
        {
            return new YamlDocument(null, [new SpecError("(document)", stream.Documents.Count == 0 ? "the file is empty" : "expected one YAML document, found several")]);
        }

        var errors = new List<SpecError>();
        var document = new YamlDocument(null, errors);
        document.Root = document.Convert(stream.Documents[0].RootNode, "", errors);
        return document;
    }

    private JsonNode? Convert(YamlNode node, string path, List<SpecError> errors)
    {
        _lines.TryAdd(path.Length == 0 ? "(document)" : path, (int)node.Start.Line);
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        errors.Add(new SpecError(path.Length == 0 ? "(document)" : path, "mapping keys must be plain names") { Line = (int)keyNode.Start.Line });
                        continue;
                    }

                    string child = path.Length == 0 ? key : $"{path}.{key}";
                    if (obj.ContainsKey(key))
                    {
                        errors.Add(new SpecError(child, "duplicate key") { Line = (int)keyNode.Start.Line });
                        continue;
                    }

                    _lines.TryAdd(child, (int)keyNode.Start.Line);
                    obj[key] = Convert(valueNode, child, errors);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (int i = 0; i < sequence.Children.Count; i++)
                {
                    array.Add(Convert(sequence.Children[i], $"{path}[{i}]", errors));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                errors.Add(new SpecError(path, $"unsupported YAML node {node.NodeType}") { Line = (int)node.Start.Line });
                return null;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        string tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag.EndsWith(":str", StringComparison.Ordinal) || (scalar.Style != ScalarStyle.Plain && scalar.Style != ScalarStyle.Any))
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value))
        {
            // Keep the digits exactly (JSON numbers have arbitrary precision; range is checked against the field).
            return JsonNode.Parse(value.Replace("_", "", StringComparison.Ordinal).TrimStart('+'));
        }

        if (FloatPattern().IsMatch(value)
            && double.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }
}
