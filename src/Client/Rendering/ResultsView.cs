using System.Globalization;
using Grid.Engine.Sweeps;
using Spectre.Console;

namespace Grid.Client.Rendering;

/// <summary>summary.csv / aggregate.csv as a compact table (short headers, 4 decimals, 8-digit run ids).</summary>
public static class ResultsView
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["iteration"] = "it",
        ["unpruned_fraction"] = "u",
        ["best_val_accuracy"] = "acc",
        ["best_val_top5"] = "top5",
        ["best_step"] = "step",
        ["train_seconds"] = "secs",
        ["best_val_accuracy_mean"] = "acc",
        ["best_val_accuracy_std"] = "±",
        ["best_val_top5_mean"] = "top5",
        ["best_val_top5_std"] = "±",
    };

    public static void Render(IAnsiConsole console, SweepInfo sweep, string csv, string file)
    {
        var rows = CsvText.Parse(csv);
        if (rows.Count == 0)
        {
            console.MarkupLine("(empty)");
            return;
        }

        var table = new Table().Border(TableBorder.Simple)
            .Title($"[bold]{Format.Escape(sweep.Name)}[/] [grey]{Format.Escape(file)}[/]");
        foreach (string column in rows[0])
        {
            table.AddColumn(new TableColumn(Format.Escape(Header(column))).RightAligned());
        }

        foreach (var row in rows.Skip(1))
        {
            table.AddRow([.. row.Select(cell => Format.Escape(Cell(cell)))]);
        }

        console.Write(table);
        console.MarkupLine("[grey]u: unpruned fraction (u1.. per layer), acc/top5: best validation accuracy, step: step of the best, secs: training time[/]");
    }

    private static string Header(string column) =>
        Headers.TryGetValue(column, out string? header) ? header
        : column.StartsWith("u_layer", StringComparison.Ordinal) ? "u" + column["u_layer".Length..]
        : column.Split('.')[^1];

    private static string Cell(string cell)
    {
        if (cell.Length == 16 && cell.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            return cell[..8];
        }

        return cell.Contains('.', StringComparison.Ordinal) && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : cell;
    }
}
