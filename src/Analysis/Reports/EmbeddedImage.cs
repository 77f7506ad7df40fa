namespace Grid.Analysis.Reports;

/// <summary>Pictures as data: URIs, so that the report is one self-contained file.</summary>
internal static class EmbeddedImage
{
    public static string DataUri(string path)
    {
        string mime = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".gif" => "image/gif",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".svg" => "image/svg+xml",
            string other => throw new NotSupportedException($"{path}: cannot embed '{other}' pictures"),
        };
        return $"data:{mime};base64,{Convert.ToBase64String(File.ReadAllBytes(path))}";
    }

    /// <summary>&lt;figure&gt; with the embedded picture and its caption; data-figure names the source file.</summary>
    public static void Figure(Html html, ReportFigure figure)
    {
        html.Open("figure")
            .Raw("<img").Attribute("src", DataUri(figure.ImagePath)).Attribute("alt", figure.Caption).Attribute("data-figure", figure.Source).Raw(">")
            .Element("figcaption", figure.Caption)
            .Close("figure");
    }

    /// <summary>A wrapping row of figures.</summary>
    public static void Figures(Html html, IEnumerable<ReportFigure> figures, string cssClass = "figures")
    {
        html.Open("div", cssClass);
        foreach (ReportFigure figure in figures)
        {
            Figure(html, figure);
        }
        html.Close("div");
    }
}
