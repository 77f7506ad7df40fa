using System.Text.Json.Nodes;
using Grid.Engine.Sweeps;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Grid.Client.Specs;

/// <summary>
/// Builds the JSON tree of one YAML document from YamlDotNet's parser events, within <see cref="YamlLimits"/>: every
/// value counts against the budget when it is read, and an alias counts the whole value it copies before anything
/// is copied, so an alias bomb stops after reading a few lines rather than after expanding them. Records the line of
/// every path it builds.
/// </summary>
internal sealed class YamlTreeReader(IParser parser, YamlLimits limits, Dictionary<string, int> lines, List<SpecError> errors)
{
    private readonly Dictionary<string, (JsonNode? Value, int Count)> _anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _openAnchors = new(StringComparer.Ordinal);
    private readonly Stack<(char Bracket, Mark Start)> _openFlow = new();
    private int _values;

    /// <summary>Where the parser got to: the end of the last event it produced.</summary>
    public Mark LastEnd { get; private set; } = Mark.Empty;

    /// <summary>The outermost '[' or '{' still open, if any: the flow context a block key ran into (the scanner reads
    /// ahead, so inner collections may look open although only the outer one is left unclosed).</summary>
    public (char Bracket, Mark Start)? OpenFlow => _openFlow.Count > 0 ? _openFlow.Last() : null;

    /// <summary>The document's tree; <see cref="YamlLimitException"/> when a limit is exceeded, <see cref="YamlException"/>
    /// for malformed YAML.</summary>
    public JsonNode? ReadSingleDocument()
    {
        Expect<StreamStart>(Next());
        var first = Next();
        if (first is StreamEnd)
        {
            throw new YamlLimitException(new SpecError("(document)", "the file is empty"));
        }

        Expect<DocumentStart>(first);
        var root = Read(Next(), "", 0);
        Expect<DocumentEnd>(Next());
        if (Next() is DocumentStart extra)
        {
            throw new YamlLimitException(new SpecError("(document)", "expected one YAML document, found several ('---' starts a second one)") { Line = LineOf(extra.Start) });
        }

        return root;
    }

    private JsonNode? Read(ParsingEvent node, string path, int depth)
    {
        lines.TryAdd(path.Length == 0 ? "(document)" : path, LineOf(node.Start));
        switch (node)
        {
            case AnchorAlias alias:
                return Expand(alias, path);
            case Scalar scalar:
                Count(scalar, path);
                var value = YamlDocument.ScalarValue(scalar);
                Remember(scalar.Anchor, value, 1);
                return value;
            case SequenceStart sequence:
                return ReadSequence(sequence, path, depth + 1);
            case MappingStart mapping:
                return ReadMapping(mapping, path, depth + 1);
            default:
                throw new YamlException(node.Start, node.End, $"unexpected {node.GetType().Name}");
        }
    }

    private JsonArray ReadSequence(SequenceStart start, string path, int depth)
    {
        int before = _values;
        Open(start, start.Anchor, path, depth, start.Style == SequenceStyle.Flow ? '[' : null);
        var array = new JsonArray();
        for (var item = Next(); item is not SequenceEnd; item = Next())
        {
            array.Add(Read(item, $"{path}[{array.Count}]", depth));
        }

        Close(start.Anchor, start.Style == SequenceStyle.Flow, array, before);
        return array;
    }

    private JsonObject ReadMapping(MappingStart start, string path, int depth)
    {
        int before = _values;
        Open(start, start.Anchor, path, depth, start.Style == MappingStyle.Flow ? '{' : null);
        var mapping = new JsonObject();
        for (var keyEvent = Next(); keyEvent is not MappingEnd; keyEvent = Next())
        {
            string at = path.Length == 0 ? "(document)" : path;
            if (keyEvent is not Scalar { Value: var key } keyScalar)
            {
                errors.Add(new SpecError(at, "mapping keys must be plain names") { Line = LineOf(keyEvent.Start) });
                Read(keyEvent, $"{path}.(key)", depth);
                Read(Next(), $"{path}.(key)", depth);
                continue;
            }

            Count(keyScalar, path);
            string child = path.Length == 0 ? key : $"{path}.{key}";
            if (mapping.ContainsKey(key))
            {
                errors.Add(new SpecError(child, $"duplicate key (first set on line {lines.GetValueOrDefault(child)})") { Line = LineOf(keyScalar.Start) });
                Read(Next(), child, depth);
                continue;
            }

            lines.TryAdd(child, LineOf(keyScalar.Start));
            mapping[key] = Read(Next(), child, depth);
        }

        Close(start.Anchor, start.Style == MappingStyle.Flow, mapping, before);
        return mapping;
    }

    private void Open(NodeEvent start, AnchorName anchor, string path, int depth, char? flowBracket)
    {
        if (depth > limits.MaxDepth)
        {
            throw new YamlLimitException(new SpecError(Where(path), $"nested deeper than {limits.MaxDepth} levels of lists and mappings") { Line = LineOf(start.Start) });
        }

        Count(start, path);
        if (flowBracket is { } bracket)
        {
            _openFlow.Push((bracket, start.Start));
        }

        if (!anchor.IsEmpty)
        {
            _openAnchors.Add(anchor.Value);
        }
    }

    private void Close(AnchorName anchor, bool flow, JsonNode value, int before)
    {
        if (flow)
        {
            _openFlow.Pop();
        }

        if (!anchor.IsEmpty)
        {
            _openAnchors.Remove(anchor.Value);
        }

        Remember(anchor, value, _values - before);
    }

    private JsonNode? Expand(AnchorAlias alias, string path)
    {
        string name = alias.Value.Value;
        int line = LineOf(alias.Start);
        if (_openAnchors.Contains(name))
        {
            throw new YamlLimitException(new SpecError(Where(path), $"alias *{name} is inside the value &{name} it names; a recursive alias has no end") { Line = line });
        }

        if (!_anchors.TryGetValue(name, out var anchored))
        {
            errors.Add(new SpecError(Where(path), $"alias *{name} has no anchor &{name} before it") { Line = line });
            return null;
        }

        // Counted before copying: an alias bomb is refused here, having copied nothing.
        if ((long)_values + anchored.Count > limits.MaxValues)
        {
            throw TooManyValues(path, line, $" (alias *{name} alone stands for {anchored.Count:N0})");
        }

        _values += anchored.Count;
        return anchored.Value?.DeepClone();
    }

    private void Remember(AnchorName anchor, JsonNode? value, int count)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = (value, count);
        }
    }

    private void Count(ParsingEvent node, string path)
    {
        if (++_values > limits.MaxValues)
        {
            throw TooManyValues(path, LineOf(node.Start), "");
        }
    }

    private YamlLimitException TooManyValues(string path, int line, string detail) =>
        new(new SpecError(Where(path), $"the file holds more than {limits.MaxValues:N0} values once its aliases are expanded{detail}; "
            + "no sweep needs that many (the matrix is limited to 10,000 runs)") { Line = line });

    private ParsingEvent Next()
    {
        if (!parser.MoveNext() || parser.Current is not { } current)
        {
            throw new YamlException(LastEnd, LastEnd, "unexpected end of the file");
        }

        LastEnd = current.End;
        return current;
    }

    private static void Expect<T>(ParsingEvent node)
        where T : ParsingEvent
    {
        if (node is not T)
        {
            throw new YamlException(node.Start, node.End, $"expected {typeof(T).Name}, found {node.GetType().Name}");
        }
    }

    private static string Where(string path) => path.Length == 0 ? "(document)" : path;

    public static int LineOf(Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);
}

/// <summary>A sweep file that exceeds a <see cref="YamlLimits"/> bound (or cannot be read as one document): reading stops.</summary>
internal sealed class YamlLimitException(SpecError error) : Exception(error.ToString())
{
    public SpecError Error { get; } = error;
}
