using System.Globalization;
using System.Text;

namespace Grid.Analysis.Output;

/// <summary>A small CSV builder: invariant culture, round-trippable doubles, quoted text where needed.</summary>
public sealed class CsvTable
{
    private readonly StringBuilder _text = new();
    private readonly int _columns;

    public CsvTable(params string[] header)
    {
        _columns = header.Length;
        AppendRow(header);
    }

    public CsvTable Row(params object?[] cells)
    {
        if (cells.Length != _columns)
        {
            throw new ArgumentException($"Expected {_columns} cells, got {cells.Length}.", nameof(cells));
        }
        AppendRow(cells.Select(Format));
        return this;
    }

    public override string ToString() => _text.ToString();

    private void AppendRow(IEnumerable<string> cells) => _text.Append(string.Join(',', cells.Select(Quote))).Append('\n');

    private static string Format(object? cell) => cell switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
