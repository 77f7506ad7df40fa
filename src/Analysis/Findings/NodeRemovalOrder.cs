using System.Globalization;
using Grid.Engine.Sweeps;

namespace Grid.Analysis.Findings;

/// <summary>
/// Fig. 1c: the most connected layer-1 nodes carry the performance: removing them first destroys accuracy much faster
/// than removing the least connected first. Measured: the relative accuracy after removing a quarter of the nodes in
/// each order. Null: no difference between the orders, within the sampling noise of the two accuracies.
/// </summary>
public static class NodeRemovalOrder
{
    public const string Key = "node-removal";
    public const string Name = "the most connected nodes carry the accuracy";
    public const string Figure = "Fig. 1c";

    /// <summary>One point of the node-removal analysis' CSV (order, removed_nodes, relative_accuracy).</summary>
    public sealed record Point(bool MostConnectedFirst, int Removed, double RelativeAccuracy);

    /// <summary>The points of node-removal.csv.</summary>
    public static IReadOnlyList<Point> Read(string csvFile)
    {
        var rows = CsvText.Parse(File.ReadAllText(csvFile));
        var header = rows[0].ToList();
        int order = header.IndexOf("order"), removed = header.IndexOf("removed_nodes"), relative = header.IndexOf("relative_accuracy");
        if (order < 0 || removed < 0 || relative < 0)
        {
            throw new InvalidDataException($"{csvFile}: expected the columns order, removed_nodes, relative_accuracy");
        }

        return [.. rows.Skip(1).Where(r => r.Count == header.Count).Select(r => new Point(
            r[order].StartsWith("highest", StringComparison.Ordinal),
            int.Parse(r[removed], CultureInfo.InvariantCulture),
            double.Parse(r[relative], CultureInfo.InvariantCulture)))];
    }

    /// <param name="accuracy">The intact network's validation accuracy (the iteration's).</param>
    public static Finding Evaluate(int iteration, double u, IReadOnlyList<Point> points, double accuracy, int validationImages)
    {
        var most = points.Where(p => p.MostConnectedFirst).ToDictionary(p => p.Removed, p => p.RelativeAccuracy);
        var least = points.Where(p => !p.MostConnectedFirst).ToDictionary(p => p.Removed, p => p.RelativeAccuracy);
        var shared = most.Keys.Intersect(least.Keys).Where(k => k > 0).ToList();
        if (shared.Count == 0)
        {
            return Finding.NotMeasured(Key, Name, Figure, iteration, u, "the node-removal curves have no common point");
        }

        int nodes = points.Max(p => p.Removed);
        int removed = shared.MinBy(k => Math.Abs(k - FindingThresholds.RemovedShare * nodes));
        double gap = least[removed] - most[removed];
        double standardError = accuracy > 0 ? Math.Sqrt(2 * accuracy * (1 - accuracy) / Math.Max(1, validationImages)) / accuracy : double.NaN;
        double errors = standardError > 0 ? gap / standardError : gap > 0 ? double.PositiveInfinity : 0;
        bool beyondNoise = errors >= FindingThresholds.RemovalStandardErrors;
        return new Finding
        {
            Key = Key,
            Name = Name,
            Figure = Figure,
            Iteration = iteration,
            UnprunedFraction = u,
            Measured = $"removing the {removed} most connected of {nodes} layer-1 nodes leaves {Finding.Number(100 * most[removed], "0")} % of the accuracy, "
                + $"the {removed} least connected {Finding.Number(100 * least[removed], "0")} %: a gap of {Finding.Number(100 * gap, "0")} points "
                + $"({Finding.Number(errors, "0.0")} standard errors)",
            Verdict = beyondNoise && gap >= FindingThresholds.RemovalSeenGap ? Verdict.Seen
                : beyondNoise && gap >= FindingThresholds.RemovalWeakGap ? Verdict.Weak
                : Verdict.NotSeen,
            Numbers = new Dictionary<string, double>
            {
                ["removed_nodes"] = removed,
                ["nodes"] = nodes,
                ["relative_accuracy_most_connected_first"] = most[removed],
                ["relative_accuracy_least_connected_first"] = least[removed],
                ["gap"] = gap,
                ["standard_errors"] = errors,
            },
        };
    }
}
