using System.Globalization;
using Grid.Analysis.Observables;
using Grid.Analysis.Output;
using ScottPlot;

namespace Grid.Analysis.Pictures;

/// <summary>
/// Histogram of C^{in,l} with the Binomial(n, u) reference of random pruning as a dashed line and a triangle at n*u
/// (paper Fig. 1b). Data: JSON with the bins, the expected counts, and observed / binomial mean and variance.
/// </summary>
public static class ConnectivityHistogramFigure
{
    public static FigureFiles Save(string basePath, ConnectivityHistogram histogram, string? title = null, int layer = 1)
    {
        using var plot = new Plot();
        double half = histogram.BinWidth / 2.0;
        var bars = histogram.BinStarts
            .Select((start, k) => new Bar
            {
                Position = start + half - (histogram.BinWidth == 1 ? 0.5 : 0),
                Value = histogram.NodeCounts[k],
                Size = histogram.BinWidth,
                FillColor = Colors.SteelBlue,
                LineWidth = 0,
            })
            .ToArray();
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = string.Create(CultureInfo.InvariantCulture,
            $"observed (mean {histogram.ObservedMean:F1}, var {histogram.ObservedVariance:F1})");

        double[] centres = histogram.BinStarts.Select(s => s + half - (histogram.BinWidth == 1 ? 0.5 : 0)).ToArray();
        var binomial = plot.Add.ScatterLine(centres, histogram.BinomialExpectedCounts.ToArray(), Colors.Black);
        binomial.LinePattern = LinePattern.Dashed;
        binomial.LineWidth = 2;
        binomial.LegendText = string.Create(CultureInfo.InvariantCulture,
            $"random pruning, Binomial({histogram.InputsPerNode}, u) (mean {histogram.BinomialMean:F1}, var {histogram.BinomialVariance:F1})");

        double top = Math.Max(histogram.NodeCounts.DefaultIfEmpty(0).Max(), histogram.BinomialExpectedCounts.DefaultIfEmpty(0).Max());
        var triangle = plot.Add.Marker(histogram.BinomialMean, top * 1.05, MarkerShape.FilledTriangleDown, 12, Colors.DarkRed);
        triangle.LegendText = string.Create(CultureInfo.InvariantCulture, $"n u = {histogram.BinomialMean:F1}");

        plot.Axes.SetLimitsY(0, top * 1.35); // head room for the legend
        plot.XLabel($"C in,{layer} (unpruned inputs per node)");
        plot.YLabel("nodes");
        plot.Title(title ?? string.Create(CultureInfo.InvariantCulture,
            $"Input connectivity of layer {layer}, u = {100 * histogram.UnprunedFraction:0.###}% ({histogram.Nodes} nodes)"));
        plot.ShowLegend(Alignment.UpperRight);

        var data = new
        {
            layer,
            histogram.Nodes,
            histogram.InputsPerNode,
            histogram.UnprunedFraction,
            histogram.BinWidth,
            histogram.ObservedMean,
            histogram.ObservedVariance,
            histogram.BinomialMean,
            histogram.BinomialVariance,
            Bins = histogram.BinStarts.Select((start, k) => new
            {
                Start = start,
                EndExclusive = start + histogram.BinWidth,
                Nodes = histogram.NodeCounts[k],
                BinomialExpected = histogram.BinomialExpectedCounts[k],
            }),
        };
        return FigureFiles.WritePngWithJson(basePath, PlotRendering.Png(plot), data);
    }
}
