using System.Globalization;
using Spectre.Console;

namespace Grid.Client.Rendering;

public static class Format
{
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || !double.IsFinite(s) || s < 0)
        {
            return "?";
        }

        var span = TimeSpan.FromSeconds(Math.Round(s));
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:D2}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds:D2}s"
            : $"{span.Seconds}s";
    }

    /// <summary>A measured time to a tenth of a second, e.g. "41.3 s" (for timings people compare).</summary>
    public static string Seconds(TimeSpan elapsed) =>
        elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Fraction(double? value) =>
        value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "-";

    public static string Accuracy(double? value) =>
        value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    public static string Escape(string text) => Markup.Escape(text);

    /// <summary>A size in binary units, e.g. "12.4 MiB".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        for (; value >= 1024 && unit < units.Length - 1; unit++)
        {
            value /= 1024;
        }

        return unit == 0 ? $"{bytes} B" : $"{value.ToString("0.0", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    /// <summary>"1 run", "2 runs".</summary>
    public static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>A sweep's analysis list in words: [] is the defaults, [none] training only.</summary>
    public static string AnalysisList(IReadOnlyList<string> analysis) => analysis switch
    {
        [] => "the analysis library's defaults (locality, node-removal and activations only on the best and the last iteration)",
        [Engine.Sweeps.SweepDefinition.NoAnalyses] => "none (training only)",
        _ => $"[{string.Join(", ", analysis)}]",
    };
}
