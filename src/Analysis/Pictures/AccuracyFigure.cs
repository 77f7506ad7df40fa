using Grid.Analysis.Curves;
using Grid.Analysis.Output;
using ScottPlot;

namespace Grid.Analysis.Pictures;

/// <summary>Which quantity an accuracy-vs-u figure shows.</summary>
public enum AccuracyQuantity
{
    /// <summary>Best validation accuracy, mean +- std over seeds (paper Fig. 1a).</summary>
    BestAccuracy,

    /// <summary>Best accuracy minus iteration 0 of the same seed, mean +- std (paper Fig. 17b, 19a).</summary>
    Gain,
}

/// <summary>
/// Accuracy (or gain) vs the unpruned percentage u on a log axis, one line per series with a +-1 std band.
/// Accuracies are fractions in [0, 1] and are drawn in percent. Data: CSV with one row per series and iteration.
/// </summary>
public static class AccuracyFigure
{
    public static FigureFiles Save(string basePath, IReadOnlyList<AccuracyCurve> curves, AccuracyQuantity quantity, string? title = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(curves.Count);
        using var plot = new Plot();
        IPalette palette = new ScottPlot.Palettes.Category10();
        for (int s = 0; s < curves.Count; s++)
        {
            AccuracyCurve curve = curves[s];
            AccuracyCurvePoint[] points = curve.Points.Where(p => p.UnprunedFraction > 0).OrderByDescending(p => p.UnprunedFraction).ToArray();
            if (points.Length == 0)
            {
                continue;
            }
            double[] xs = points.Select(p => LogAxis.ToAxis(100 * p.UnprunedFraction)).ToArray();
            double[] mean = points.Select(p => 100 * (quantity == AccuracyQuantity.Gain ? p.GainMean : p.AccuracyMean)).ToArray();
            double[] std = points.Select(p => 100 * (quantity == AccuracyQuantity.Gain ? p.GainStd : p.AccuracyStd)).ToArray();
            Color color = palette.GetColor(s);
            var band = plot.Add.FillY(xs, mean.Select((m, k) => m - std[k]).ToArray(), mean.Select((m, k) => m + std[k]).ToArray());
            band.FillColor = color.WithAlpha(0.25);
            band.LineWidth = 0;
            var line = plot.Add.Scatter(xs, mean, color);
            line.LegendText = curve.Label;
            line.MarkerSize = 6;
            line.LineWidth = 2;
        }
        if (quantity == AccuracyQuantity.Gain)
        {
            var zero = plot.Add.HorizontalLine(0);
            zero.LineColor = Colors.Gray;
            zero.LinePattern = LinePattern.Dashed;
        }
        LogAxis.UsePercentDecades(plot.Axes.Bottom);
        plot.Axes.InvertX(); // pruning proceeds left to right, from the dense network to small u
        plot.XLabel("u, unpruned weights per layer (log scale)");
        plot.YLabel(quantity == AccuracyQuantity.Gain ? "gain in best validation accuracy (points)" : "best validation accuracy (%)");
        plot.Title(title ?? (quantity == AccuracyQuantity.Gain ? "Gain over the dense network vs u" : "Best validation accuracy vs u"));
        plot.ShowLegend(Alignment.UpperLeft);

        var data = new CsvTable("series", "iteration", "u", "accuracy_mean", "accuracy_std", "gain_mean", "gain_std", "seeds");
        foreach (AccuracyCurve curve in curves)
        {
            foreach (AccuracyCurvePoint p in curve.Points)
            {
                data.Row(curve.Label, p.Iteration, p.UnprunedFraction, p.AccuracyMean, p.AccuracyStd, p.GainMean, p.GainStd, p.Seeds);
            }
        }
        return FigureFiles.WritePngWithCsv(basePath, PlotRendering.Png(plot), data);
    }
}
