using ScottPlot;

namespace Grid.Analysis.Pictures;

/// <summary>
/// A heatmap in image orientation (row 0 at the top, y growing downwards, like the masks), colour scale 0..max,
/// with a colour bar.
/// </summary>
internal static class HeatmapPanel
{
    /// <param name="values">Row-major rows x columns.</param>
    /// <param name="xMin">Coordinate of the centre of column 0.</param>
    /// <param name="yMin">Coordinate of the centre of row 0 (drawn at the top).</param>
    public static Plot Create(IReadOnlyList<double> values, int rows, int columns, double xMin, double yMin,
        string title, string xLabel, string yLabel, string colourBarLabel)
    {
        var intensities = new double[rows, columns];
        double max = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                intensities[r, c] = values[r * columns + c];
                max = Math.Max(max, intensities[r, c]);
            }
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, max > 0 ? max : 1);
        // Rows run downwards on an inverted y axis, so row 0 (y = yMin) is at the top.
        heatmap.Extent = new CoordinateRect(xMin - 0.5, xMin + columns - 0.5, yMin + rows - 0.5, yMin - 0.5);
        heatmap.FlipVertically = true;
        var colourBar = plot.Add.ColorBar(heatmap);
        colourBar.Label = colourBarLabel;
        plot.Axes.SetLimits(xMin - 0.5, xMin + columns - 0.5, yMin + rows - 0.5, yMin - 0.5);
        plot.Axes.SquareUnits();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }
}
