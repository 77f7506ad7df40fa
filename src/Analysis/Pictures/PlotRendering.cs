using ScottPlot;
using SkiaSharp;

namespace Grid.Analysis.Pictures;

/// <summary>Renders ScottPlot plots to PNG bytes, alone or as a row/grid of panels.</summary>
internal static class PlotRendering
{
    public const int DefaultWidth = 800;
    public const int DefaultHeight = 600;

    public static byte[] Png(Plot plot, int width = DefaultWidth, int height = DefaultHeight) =>
        plot.GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>Panels laid out row by row, each panelWidth x panelHeight pixels, on a white background.</summary>
    public static byte[] Panels(IReadOnlyList<Plot> plots, int columns, int panelWidth, int panelHeight)
    {
        ArgumentOutOfRangeException.ThrowIfZero(plots.Count);
        columns = Math.Clamp(columns, 1, plots.Count);
        int rows = (plots.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(columns * panelWidth, rows * panelHeight));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        for (int k = 0; k < plots.Count; k++)
        {
            // each plot renders on its own surface: ScottPlot clears the whole canvas it is given
            using SKBitmap panel = SKBitmap.Decode(Png(plots[k], panelWidth, panelHeight));
            canvas.DrawBitmap(panel, k % columns * panelWidth, k / columns * panelHeight);
        }
        return Encode(surface);
    }

    public static byte[] Encode(SKSurface surface)
    {
        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static byte[] Encode(SKBitmap bitmap)
    {
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
