using System.Runtime.InteropServices;
using SkiaSharp;

namespace Grid.Analysis.Pictures;

/// <summary>One cell of an image grid; a null tile leaves its cell empty.</summary>
public sealed record ImageTile(RgbImage Image, string? Caption = null);

/// <summary>Layout of an image grid.</summary>
public sealed record ImageGridLayout
{
    public int Columns { get; init; } = 10;

    /// <summary>Integer nearest-neighbour magnification of every tile.</summary>
    public int Scale { get; init; } = 3;

    public int Gap { get; init; } = 6;
    public string? Title { get; init; }

    /// <summary>Optional labels drawn left of each row (e.g. "mask", "weights", "input").</summary>
    public IReadOnlyList<string>? RowLabels { get; init; }
}

/// <summary>Composes tiles (masks, weights, input images) into one picture with SkiaSharp.</summary>
public static class ImageGrid
{
    private const float TitleFontSize = 18;
    private const float CaptionFontSize = 11;

    /// <summary>Draws the grid; all frames of an animation get the same size when tiles, layout and title length agree.</summary>
    public static SKBitmap Render(IReadOnlyList<ImageTile?> tiles, ImageGridLayout layout)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tiles.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(layout.Scale, 1);
        int columns = Math.Clamp(layout.Columns, 1, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        int tileWidth = tiles.Max(t => t?.Image.Width ?? 1) * layout.Scale;
        int tileHeight = tiles.Max(t => t?.Image.Height ?? 1) * layout.Scale;
        bool captions = tiles.Any(t => !string.IsNullOrEmpty(t?.Caption));
        int captionHeight = captions ? (int)CaptionFontSize + 4 : 0;
        int titleHeight = string.IsNullOrEmpty(layout.Title) ? 0 : (int)TitleFontSize + 14;

        SKTypeface typeface = ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, false, false); // cached by ScottPlot: not ours to dispose
        using var captionFont = new SKFont(typeface, CaptionFontSize);
        using var titleFont = new SKFont(typeface, TitleFontSize);
        int labelWidth = layout.RowLabels is { Count: > 0 } labels
            ? (int)Math.Ceiling(labels.Max(l => captionFont.MeasureText(l))) + layout.Gap * 2
            : 0;

        int width = labelWidth + columns * (tileWidth + layout.Gap) + layout.Gap;
        if (titleHeight > 0)
        {
            width = Math.Max(width, (int)Math.Ceiling(titleFont.MeasureText(layout.Title!)) + 4 * layout.Gap);
        }
        int height = titleHeight + rows * (tileHeight + captionHeight + layout.Gap) + layout.Gap;
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var textPaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };

        if (titleHeight > 0)
        {
            canvas.DrawText(layout.Title!, width / 2f, TitleFontSize + 6, SKTextAlign.Center, titleFont, textPaint);
        }
        for (int r = 0; r < rows && layout.RowLabels is not null && r < layout.RowLabels.Count; r++)
        {
            float y = titleHeight + layout.Gap + r * (tileHeight + captionHeight + layout.Gap) + tileHeight / 2f + CaptionFontSize / 2;
            canvas.DrawText(layout.RowLabels[r], layout.Gap, y, SKTextAlign.Left, captionFont, textPaint);
        }
        var sampling = new SKSamplingOptions(SKFilterMode.Nearest);
        for (int k = 0; k < tiles.Count; k++)
        {
            if (tiles[k] is not { } tile)
            {
                continue;
            }
            float left = labelWidth + layout.Gap + k % columns * (tileWidth + layout.Gap);
            float top = titleHeight + layout.Gap + k / columns * (tileHeight + captionHeight + layout.Gap);
            using SKImage image = ToSkImage(tile.Image);
            canvas.DrawImage(image, new SKRect(left, top, left + tile.Image.Width * layout.Scale, top + tile.Image.Height * layout.Scale), sampling, null);
            if (!string.IsNullOrEmpty(tile.Caption))
            {
                canvas.DrawText(tile.Caption, left + tileWidth / 2f, top + tileHeight + CaptionFontSize + 1, SKTextAlign.Center, captionFont, textPaint);
            }
        }
        canvas.Flush();
        return bitmap;
    }

    public static byte[] RenderPng(IReadOnlyList<ImageTile?> tiles, ImageGridLayout layout)
    {
        using SKBitmap bitmap = Render(tiles, layout);
        return PlotRendering.Encode(bitmap);
    }

    private static SKImage ToSkImage(RgbImage image)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int p = 0; p < image.Width * image.Height; p++)
        {
            rgba[p * 4] = image.Rgb[p * 3];
            rgba[p * 4 + 1] = image.Rgb[p * 3 + 1];
            rgba[p * 4 + 2] = image.Rgb[p * 3 + 2];
            rgba[p * 4 + 3] = 255;
        }
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            return SKImage.FromPixelCopy(pixmap);
        }
        finally
        {
            handle.Free();
        }
    }
}
