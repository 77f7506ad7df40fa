using Grid.Analysis.Curves;
using Grid.Analysis.Network;
using Grid.Analysis.Output;
using ScottPlot;

namespace Grid.Analysis.Pictures;

/// <summary>
/// Accuracy relative to the full network vs the number of removed first-layer nodes, one line per removal order
/// (paper Fig. 1c). Data: CSV (order, removed_nodes, relative_accuracy).
/// </summary>
public static class NodeRemovalFigure
{
    private const string DefaultTitle = "Removing first-layer nodes by C in,1";

    public static FigureFiles Save(string basePath, NodeRemovalCurves curves, string title = DefaultTitle)
    {
        curves.Validate();
        return Save(basePath,
        [
            new NodeRemovalCurve("decreasing C in (most connected first)", curves.RemovedNodes, curves.DecreasingOrderRelativeAccuracy),
            new NodeRemovalCurve("increasing C in (least connected first)", curves.RemovedNodes, curves.IncreasingOrderRelativeAccuracy),
        ], title);
    }

    /// <summary>Plots the curves of <see cref="NodeRemoval.Curves"/> (any number of orders).</summary>
    public static FigureFiles Save(string basePath, IReadOnlyList<NodeRemovalCurve> curves, string title = DefaultTitle)
    {
        ArgumentOutOfRangeException.ThrowIfZero(curves.Count);
        using var plot = new Plot();
        Color[] colours = [Colors.FireBrick, Colors.SteelBlue];
        IPalette palette = new ScottPlot.Palettes.Category10();
        var data = new CsvTable("order", "removed_nodes", "relative_accuracy");
        for (int s = 0; s < curves.Count; s++)
        {
            NodeRemovalCurve curve = curves[s];
            if (curve.Removed.Count != curve.RelativeAccuracy.Count)
            {
                throw new ArgumentException($"Node removal curve '{curve.Order}': k and accuracy differ in length.", nameof(curves));
            }
            var line = plot.Add.Scatter(curve.Removed.Select(k => (double)k).ToArray(), curve.RelativeAccuracy.ToArray(),
                s < colours.Length ? colours[s] : palette.GetColor(s));
            line.LegendText = curve.Order;
            line.LineWidth = 2;
            line.MarkerSize = 5;
            for (int i = 0; i < curve.Removed.Count; i++)
            {
                data.Row(curve.Order, curve.Removed[i], curve.RelativeAccuracy[i]);
            }
        }
        var full = plot.Add.HorizontalLine(1);
        full.LineColor = Colors.Gray;
        full.LinePattern = LinePattern.Dashed;
        plot.XLabel("removed nodes k");
        plot.YLabel("accuracy relative to the full network");
        plot.Title(title);
        plot.ShowLegend(Alignment.LowerLeft);
        return FigureFiles.WritePngWithCsv(basePath, PlotRendering.Png(plot), data);
    }
}
