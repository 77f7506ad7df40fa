namespace Grid.Analysis.Reports;

/// <summary>The report's inline CSS, content security policy and the image self-check script.</summary>
internal static class ReportStyle
{
    /// <summary>No network at all: images only from data: URIs, inline style and script only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

    public const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1400px; padding: 0 24px 48px; color: #1d1f21; background: #fff; }
        h1 { margin-top: 24px; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 36px; } h3 { margin-top: 24px; }
        nav ul { columns: 3; } nav li { margin: 2px 0; }
        pre { background: #f6f8fa; border: 1px solid #e1e4e8; padding: 12px; overflow-x: auto; font-size: 13px; }
        table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
        th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f0f3f6; position: sticky; top: 0; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.best td { background: #fff8c5; }
        .table-scroll { max-height: 520px; overflow: auto; border: 1px solid #e1e4e8; display: inline-block; max-width: 100%; }
        .figures { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
        figure { margin: 0; max-width: 100%; }
        figure img { max-width: 100%; max-height: 480px; width: auto; height: auto; border: 1px solid #eee; display: block; }
        figcaption { font-size: 12px; color: #57606a; max-width: 640px; margin-top: 4px; }
        .figures.compare figure { flex: 1 1 0; min-width: 260px; }
        details { border: 1px solid #d0d7de; border-radius: 6px; margin: 10px 0; padding: 0 12px; }
        details[open] { padding-bottom: 12px; }
        summary { cursor: pointer; padding: 8px 0; font-weight: 600; }
        .muted { color: #57606a; font-weight: normal; }
        .warning { background: #fff1f0; border: 1px solid #ffa39e; padding: 8px 12px; border-radius: 4px; }
        .note { color: #57606a; font-size: 13px; }
        .verdict-summary { font-size: 15px; background: #f6f8fa; border-left: 4px solid #57606a; padding: 8px 12px; }
        td.verdict-seen, li.verdict-seen::marker { color: #1a7f37; font-weight: 600; }
        td.verdict-weak, li.verdict-weak::marker { color: #9a6700; font-weight: 600; }
        td.verdict-not-seen, td.verdict-not-measured { color: #57606a; }
        """;

    /// <summary>
    /// After load, records how many images failed to decode (naturalWidth 0) in body[data-broken-images]:
    /// a headless browser's dumped DOM then shows whether every embedded picture renders.
    /// </summary>
    public const string ImageCheckScript = """
        window.addEventListener('load', function () {
          var broken = 0;
          for (var i = 0; i < document.images.length; i++) {
            var image = document.images[i];
            if (!image.complete || image.naturalWidth === 0) { broken++; }
          }
          document.body.setAttribute('data-images', String(document.images.length));
          document.body.setAttribute('data-broken-images', String(broken));
        });
        """;
}
