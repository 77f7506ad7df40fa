using Grid.Analysis.Observables;
using Grid.Analysis.Output;

namespace Grid.Analysis.Pictures;

/// <summary>A per-pixel map such as C^{out,0} (paper Fig. 10) as an image-oriented heatmap with a colour bar. Data: CSV (x, y, value).</summary>
public static class PixelMapFigure
{
    public static FigureFiles Save(string basePath, PixelMap map, string title = "C out,0: unpruned connections per pixel (all channels)",
        string colourBarLabel = "C out,0")
    {
        using var plot = HeatmapPanel.Create(map.Values, map.Height, map.Width, 0, 0, title, "x (pixels)", "y (pixels)", colourBarLabel);
        var data = new Output.CsvTable("x", "y", "value");
        for (int y = 0; y < map.Height; y++)
        {
            for (int x = 0; x < map.Width; x++)
            {
                data.Row(x, y, map[y, x]);
            }
        }
        return FigureFiles.WritePngWithCsv(basePath, PlotRendering.Png(plot, 640, 560), data);
    }
}
