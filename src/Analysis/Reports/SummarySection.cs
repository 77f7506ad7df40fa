using System.Globalization;
using Grid.Engine.Sweeps;

namespace Grid.Analysis.Reports;

/// <summary>
/// The sweep's summary.csv as a table (one row per run and iteration), or the same table computed from the runs when
/// the grid has not written it yet. Each run's best iteration is highlighted.
/// </summary>
internal static class SummarySection
{
    public const string TableId = "summary-table";

    public static void Write(Html html, string sweepDirectory, SweepManifest manifest, IReadOnlyList<ReportRun> runs)
    {
        string file = Path.Combine(sweepDirectory, SweepLayout.SummaryFile);
        bool stored = File.Exists(file);
        string csv = stored
            ? File.ReadAllText(file)
            : SummaryTable.Summary(manifest, [.. runs.Select(r => new RunSummaryInput(r.Manifest, r.Outcomes, r.Finished ? null : "pending"))]);
        IReadOnlyList<IReadOnlyList<string>> rows = CsvText.Parse(csv);
        html.Open("section", id: "summary").Element("h2", "Summary");
        html.Element("p", stored
            ? $"{SweepLayout.SummaryFile}: one row per run and iteration; highlighted: each run's best iteration."
            : $"{SweepLayout.SummaryFile} has not been written yet; computed from the runs.", "note");
        if (rows.Count == 0)
        {
            html.Element("p", "No rows.", "note").Close("section");
            return;
        }
        IReadOnlyList<string> header = rows[0];
        int runColumn = IndexOf(header, "run"), iterationColumn = IndexOf(header, "iteration");
        var best = runs.Where(r => r.Best is not null).ToDictionary(r => r.Hash, r => r.Best!.Iteration.ToString(CultureInfo.InvariantCulture));
        html.Open("div", "table-scroll").Open("table", id: TableId).Open("thead").Open("tr");
        foreach (string name in header)
        {
            html.Element("th", name);
        }
        html.Close("tr").Close("thead").Open("tbody");
        foreach (IReadOnlyList<string> row in rows.Skip(1).Where(r => r.Count > 1 || (r.Count == 1 && r[0].Length > 0)))
        {
            bool isBest = runColumn >= 0 && iterationColumn >= 0 && runColumn < row.Count && iterationColumn < row.Count
                && best.TryGetValue(row[runColumn], out string? iteration) && iteration == row[iterationColumn];
            html.Open("tr", isBest ? "best" : null);
            foreach (string cell in row)
            {
                bool numeric = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                html.Element("td", cell, numeric ? "num" : null);
            }
            html.Close("tr");
        }
        html.Close("tbody").Close("table").Close("div").Close("section");
    }

    private static int IndexOf(IReadOnlyList<string> header, string name) => header.ToList().IndexOf(name);
}
