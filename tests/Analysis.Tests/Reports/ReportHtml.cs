using System.Net;
using System.Text.RegularExpressions;

namespace Grid.Analysis.Tests.Reports;

/// <summary>Just enough HTML reading for the report tests (the report's own, regular markup).</summary>
internal static partial class ReportHtml
{
    public sealed record Image(string Source, string Figure);

    public static IReadOnlyList<Image> Images(string html) =>
        [.. ImageTag().Matches(html).Select(m => new Image(
            WebUtility.HtmlDecode(Attribute(m.Value, "src") ?? ""),
            WebUtility.HtmlDecode(Attribute(m.Value, "data-figure") ?? "")))];

    /// <summary>The body rows of the table with this id.</summary>
    public static int BodyRows(string html, string tableId)
    {
        int start = html.IndexOf($"id=\"{tableId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table {tableId}");
        int body = html.IndexOf("<tbody>", start, StringComparison.Ordinal);
        int end = html.IndexOf("</tbody>", body, StringComparison.Ordinal);
        return Regex.Matches(html[body..end], "<tr[ >]").Count;
    }

    private static string? Attribute(string tag, string name)
    {
        Match match = Regex.Match(tag, $"\\s{Regex.Escape(name)}=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("<img\\b[^>]*>")]
    private static partial Regex ImageTag();
}
