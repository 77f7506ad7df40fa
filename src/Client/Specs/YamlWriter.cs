using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Grid.Client.Specs;

/// <summary>
/// Writes a sweep document (JSON tree) as YAML that <see cref="YamlDocument"/> reads back to the same tree: numbers as
/// written, strings quoted wherever a plain scalar would be read as something else, lists of scalars on one line.
/// </summary>
public static class YamlWriter
{
    /// <param name="header">Comment lines put before the document (without '#').</param>
    public static string Write(JsonNode? document, IEnumerable<string> header)
    {
        var text = new StringWriter();
        foreach (string line in header)
        {
            text.WriteLine($"# {line}");
        }

        var emitter = new Emitter(text, new EmitterSettings(bestIndent: 2, bestWidth: 120, isCanonical: false, maxSimpleKeyLength: 1024));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, document);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject mapping:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, mapping.Count > 0 && mapping.All(p => IsScalar(p.Value)) && mapping.Count <= 4 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in mapping)
                {
                    emitter.Emit(Text(key));
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, list.All(IsScalar) ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case null:
                emitter.Emit(Plain("null"));
                break;
            default:
                emitter.Emit(node.GetValueKind() switch
                {
                    JsonValueKind.String => Text(node.GetValue<string>()),
                    _ => Plain(node.ToJsonString()), // numbers exactly as in the JSON tree; true, false
                });
                break;
        }
    }

    private static bool IsScalar(JsonNode? node) => node is null or JsonValue;

    /// <summary>A string: plain when it reads back as the same string, else double-quoted.</summary>
    private static Scalar Text(string value)
    {
        var plain = new Scalar(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false);
        bool readsBack = value.Length > 0 && value.Trim() == value && value.IndexOfAny([':', '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']) < 0
            && !value.StartsWith('-') && !value.StartsWith('?')
            && YamlDocument.ScalarValue(plain) is JsonValue read && read.GetValueKind() == JsonValueKind.String;
        return readsBack ? plain : new Scalar(AnchorName.Empty, TagName.Empty, value, ScalarStyle.DoubleQuoted, isPlainImplicit: false, isQuotedImplicit: true);
    }

    private static Scalar Plain(string value) =>
        new(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false);
}
