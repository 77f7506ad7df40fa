using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Grid.Deploy.Tests.Support;

/// <summary>Small, null-tolerant navigation over YamlDotNet's representation model.</summary>
public static class Yaml
{
    public static IReadOnlyList<YamlMappingNode> LoadDocuments(string text, string source)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var documents = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlMappingNode mapping:
                    documents.Add(mapping);
                    break;
                case YamlScalarNode { Value: null or "" }:
                    break; // empty document
                default:
                    throw new InvalidDataException($"{source}: a document is not a mapping ({document.RootNode.NodeType})");
            }
        }

        return documents;
    }

    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (string key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    public static string? Str(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlScalarNode scalar ? scalar.Value : null;

    public static int? Int(this YamlNode? node, params string[] path) =>
        int.TryParse(node.Str(path), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;

    public static bool Bool(this YamlNode? node, params string[] path) =>
        string.Equals(node.Str(path), "true", StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    public static IReadOnlyDictionary<string, string> Map(this YamlNode? node, params string[] path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.At(path) is YamlMappingNode mapping)
        {
            foreach (var (key, value) in mapping.Children)
            {
                if (key is YamlScalarNode { Value: { } name })
                {
                    result[name] = value is YamlScalarNode scalar ? scalar.Value ?? "" : value.ToString();
                }
            }
        }

        return result;
    }

    public static IEnumerable<string> StringItems(this YamlNode? node, params string[] path) =>
        node.Items(path).OfType<YamlScalarNode>().Select(s => s.Value ?? "");
}
