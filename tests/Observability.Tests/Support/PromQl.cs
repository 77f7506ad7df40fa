using System.Text.RegularExpressions;

namespace Grid.Observability.Tests.Support;

/// <summary>Just enough PromQL reading to find the metric names an expression selects, and to run Grafana expressions.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2",
    };

    /// <summary>Metric names selected by <paramref name="expression"/> (functions, keywords, label names and strings excluded).</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        string text = StringLiteral().Replace(expression, "\"\"");
        text = LabelMatchers().Replace(text, " ");
        text = RangeSelector().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            string name = match.Groups["name"].Value;
            bool isCall = match.Groups["call"].Success;
            if (!isCall && !Keywords.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>The metric of a Grafana variable query: label_values(metric, label) or label_values(metric{...}, label).</summary>
    public static string? VariableMetric(string query)
    {
        var match = LabelValues().Match(query);
        return match.Success ? match.Groups["name"].Value : null;
    }

    /// <summary>Grafana variables used in an expression ($name or ${name}), without Grafana's built-in $__ ones.</summary>
    public static IReadOnlySet<string> Variables(string expression) =>
        VariableUse().Matches(expression).Select(m => m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value)
            .Where(v => !v.StartsWith("__", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

    /// <summary>What Grafana would send: its variables replaced by the given values, built-in intervals by fixed ones.</summary>
    public static string Interpolate(string expression, IReadOnlyDictionary<string, string> variables, string range = "5m")
    {
        string text = expression
            .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
            .Replace("$__interval", "15s", StringComparison.Ordinal)
            .Replace("$__range", range, StringComparison.Ordinal);
        return VariableUse().Replace(text, m =>
        {
            string name = m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value;
            return variables.TryGetValue(name, out string? value) ? value : m.Value;
        });
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex RangeSelector();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w:$.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"label_values\(\s*(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\$(?:\{(?<b>\w+)(?::\w+)?\}|(?<a>\w+))")]
    private static partial Regex VariableUse();
}
