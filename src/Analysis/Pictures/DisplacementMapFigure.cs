using System.Globalization;
using Grid.Analysis.Observables;
using Grid.Analysis.Output;
using ScottPlot;

namespace Grid.Analysis.Pictures;

/// <summary>
/// S^sc or S^dc as a centred 2-D map (d = 0 in the middle, dy growing downwards as in the images), colour scale from
/// 0 to the map's maximum, with a colour bar (paper Fig. 2b). Data: CSV (panel, dx, dy, value).
/// </summary>
public static class DisplacementMapFigure
{
    public static FigureFiles Save(string basePath, DisplacementMap map, DisplacementKind kind, string? title = null) =>
        SavePanels(basePath, [(title ?? DefaultTitle(map, kind), map)], kind, columns: 1);

    /// <summary>S^sc per C^in bin, one panel per bin, each with its own 0..max scale (SM B.3, Fig. 11).</summary>
    public static FigureFiles SaveByConnectivity(string basePath, IReadOnlyList<ConnectivityBinDisplacement> bins, int columns = 5) =>
        SavePanels(basePath,
            bins.Select(b => ($"C in {b.RangeLabel} ({b.NodeCount} nodes)", b.Map)).ToArray(),
            DisplacementKind.SameChannel,
            columns);

    /// <summary>Several labelled maps side by side (e.g. S^sc for different u), each with its own 0..max scale.</summary>
    public static FigureFiles SavePanels(string basePath, IReadOnlyList<(string Title, DisplacementMap Map)> panels, DisplacementKind kind, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfZero(panels.Count);
        var plots = panels.Select(p => CreatePlot(p.Map, kind, p.Title)).ToArray();
        try
        {
            byte[] png = panels.Count == 1
                ? PlotRendering.Png(plots[0], 640, 560)
                : PlotRendering.Panels(plots, columns, 480, 420);
            var data = new CsvTable("panel", "dx", "dy", kind == DisplacementKind.SameChannel ? "s_sc" : "s_dc");
            foreach (var (panelTitle, map) in panels)
            {
                for (int dy = -(map.Height - 1); dy < map.Height; dy++)
                {
                    for (int dx = -(map.Width - 1); dx < map.Width; dx++)
                    {
                        data.Row(panelTitle, dx, dy, map.Get(kind, dx, dy));
                    }
                }
            }
            return FigureFiles.WritePngWithCsv(basePath, png, data);
        }
        finally
        {
            foreach (Plot plot in plots)
            {
                plot.Dispose();
            }
        }
    }

    private static Plot CreatePlot(DisplacementMap map, DisplacementKind kind, string title) =>
        HeatmapPanel.Create(map.Values(kind), map.MapHeight, map.MapWidth, -(map.Width - 1), -(map.Height - 1),
            title, "dx (pixels)", "dy (pixels, downwards)", kind == DisplacementKind.SameChannel ? "S sc(d)" : "S dc(d)");

    private static string DefaultTitle(DisplacementMap map, DisplacementKind kind) => string.Create(CultureInfo.InvariantCulture,
        $"{(kind == DisplacementKind.SameChannel ? "S sc(d), same channel" : "S dc(d), different channels")} ({map.Nodes} nodes)");
}
