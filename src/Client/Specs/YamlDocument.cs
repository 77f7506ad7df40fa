using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grid.Engine.Sweeps;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Grid.Client.Specs;

/// <summary>
/// Reads YAML into a JSON tree (what the sweep compiler and the coordinator take) and remembers the line of every
/// path, so that errors can point into the file. Plain scalars are typed the YAML 1.2 core way (null, true/false,
/// integers — underscores allowed —, floats); quoted scalars are always strings. Reading is bounded by
/// <see cref="YamlLimits"/> (see <see cref="YamlTreeReader"/>).
/// </summary>
public sealed partial class YamlDocument
{
    private readonly Dictionary<string, int> _lines;

    private YamlDocument(JsonNode? root, IReadOnlyList<SpecError> errors, Dictionary<string, int> lines)
    {
        Root = root;
        Errors = errors;
        _lines = lines;
    }

    public JsonNode? Root { get; }

    /// <summary>Syntax errors and exceeded limits (the tree is unusable when there are any).</summary>
    public IReadOnlyList<SpecError> Errors { get; }

    /// <summary>The line of <paramref name="path"/>, or of its nearest enclosing path the file spells out (a field
    /// the file leaves at its default, or a value copied by an alias, points at its parent).</summary>
    public int? LineOf(string path)
    {
        for (string? at = path; at is not null; at = Parent(at))
        {
            if (_lines.TryGetValue(at, out int line))
            {
                return line;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    public static YamlDocument Parse(string text, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        if (text.Length > limits.MaxBytes)
        {
            return Failed(new SpecError("(document)", $"{text.Length:N0} characters, more than the limit of {limits.MaxBytes:N0} for a sweep file"), lines);
        }

        var errors = new List<SpecError>();
        var reader = new YamlTreeReader(new Parser(new StringReader(text)), limits, lines, errors);
        try
        {
            var root = reader.ReadSingleDocument();
            return new YamlDocument(errors.Count > 0 ? null : root, errors, lines);
        }
        catch (YamlLimitException limit)
        {
            return Failed(limit.Error, lines);
        }
        catch (YamlException error)
        {
            string message = error.InnerException?.Message ?? error.Message;
            return Failed(new SpecError("(document)", $"not valid YAML: {message}") { Line = YamlTreeReader.LineOf(error.Start) }, lines);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException for some malformed files, e.g. a '[' left
            // open before the next block key: say where reading stopped and what is still open.
            return Failed(Unreadable(reader), lines);
        }
    }

    private static SpecError Unreadable(YamlTreeReader reader)
    {
        int stopped = YamlTreeReader.LineOf(reader.LastEnd);
        if (reader.OpenFlow is { } open)
        {
            int line = YamlTreeReader.LineOf(open.Start);
            char closing = open.Bracket == '[' ? ']' : '}';
            return new SpecError("(document)", $"not valid YAML: the '{open.Bracket}' opened on line {line}, column {open.Start.Column} is never closed with '{closing}'") { Line = line };
        }

        return new SpecError("(document)", $"not valid YAML: cannot read past line {stopped}, column {reader.LastEnd.Column}") { Line = stopped };
    }

    private static YamlDocument Failed(SpecError error, Dictionary<string, int> lines) => new(null, [error], lines);

    private static string? Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut > 0 ? path[..cut] : null;
    }

    internal static JsonNode? ScalarValue(Scalar scalar)
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
            // Keep the digits exactly (JSON numbers have arbitrary precision; range is checked against the field),
            // without the leading zeros JSON does not allow (YAML reads 007 as 7).
            string digits = value.Replace("_", "", StringComparison.Ordinal).TrimStart('+');
            bool negative = digits.StartsWith('-');
            digits = digits.TrimStart('-').TrimStart('0');
            return JsonNode.Parse((negative ? "-" : "") + (digits.Length == 0 ? "0" : digits));
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
