using System.Net;
using System.Text;

namespace Grid.Analysis.Reports;

/// <summary>
/// A small HTML writer: every piece of text goes through <see cref="Text"/> (HTML-encoded), attributes through
/// <see cref="Attribute"/>; only the report's own markup is written raw.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _text = new();

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    public Html Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    public Html Text(string? text)
    {
        _text.Append(Encode(text));
        return this;
    }

    /// <summary>&lt;tag class="…" id="…"&gt;text&lt;/tag&gt;.</summary>
    public Html Element(string tag, string? text, string? cssClass = null, string? id = null) =>
        Open(tag, cssClass, id).Text(text).Close(tag);

    public Html Open(string tag, string? cssClass = null, string? id = null, params (string Name, string Value)[] attributes)
    {
        _text.Append('<').Append(tag);
        if (cssClass is not null)
        {
            Attribute("class", cssClass);
        }
        if (id is not null)
        {
            Attribute("id", id);
        }
        foreach (var (name, value) in attributes)
        {
            Attribute(name, value);
        }
        _text.Append('>');
        return this;
    }

    public Html Close(string tag)
    {
        _text.Append("</").Append(tag).Append(">\n");
        return this;
    }

    /// <summary>Appends ` name="value"` to an open tag (value encoded).</summary>
    public Html Attribute(string name, string value)
    {
        _text.Append(' ').Append(name).Append("=\"").Append(Encode(value)).Append('"');
        return this;
    }

    public override string ToString() => _text.ToString();
}
