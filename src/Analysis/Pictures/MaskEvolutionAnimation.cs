using System.Globalization;
using Grid.Analysis.Masks;
using Grid.Analysis.Observables;
using Grid.Analysis.Output;
using SkiaSharp;

namespace Grid.Analysis.Pictures;

/// <summary>The first-layer mask after one IMP iteration.</summary>
public sealed record MaskSnapshot(int Iteration, LayerMask Mask);

/// <summary>Which nodes the animation follows.</summary>
public enum AnimatedNodes
{
    /// <summary>The most connected nodes of the last snapshot, followed back through all iterations.</summary>
    MostConnectedAtLastIteration,

    /// <summary>The most connected nodes of each snapshot, re-chosen per frame.</summary>
    MostConnectedPerIteration,
}

/// <summary>
/// Animated GIF of the most connected first-layer masks across IMP iterations (the paper's supplementary videos).
/// Data: JSON with, per frame, the iteration, u, and the shown nodes with C^in and connected inputs.
/// </summary>
public static class MaskEvolutionAnimation
{
    public static FigureFiles Save(string basePath, IReadOnlyList<MaskSnapshot> snapshots, InputGeometry geometry,
        int count = 30, int columns = 10, AnimatedNodes nodes = AnimatedNodes.MostConnectedAtLastIteration,
        int delayCentiseconds = 80, int scale = 3)
    {
        ArgumentOutOfRangeException.ThrowIfZero(snapshots.Count);
        foreach (MaskSnapshot snapshot in snapshots)
        {
            geometry.EnsureMatches(snapshot.Mask);
        }
        int[] followed = MostConnectedNodes.Top(Connectivity.InputConnectivity(snapshots[^1].Mask), count);
        var frames = new List<SKBitmap>();
        var frameData = new List<object>();
        try
        {
            foreach (MaskSnapshot snapshot in snapshots)
            {
                int[] inputConnectivity = Connectivity.InputConnectivity(snapshot.Mask);
                int[] shown = nodes == AnimatedNodes.MostConnectedAtLastIteration ? followed : MostConnectedNodes.Top(inputConnectivity, count);
                double u = Connectivity.UnprunedFraction(snapshot.Mask);
                var tiles = shown.Select(j => (ImageTile?)new ImageTile(NodeImages.Mask(snapshot.Mask, j, geometry), $"C={inputConnectivity[j]}")).ToArray();
                frames.Add(ImageGrid.Render(tiles, new ImageGridLayout
                {
                    Columns = columns,
                    Scale = scale,
                    Title = string.Create(CultureInfo.InvariantCulture, $"IMP iteration {snapshot.Iteration,3}, u = {100 * u,8:0.###}%"),
                }));
                frameData.Add(new
                {
                    snapshot.Iteration,
                    UnprunedFraction = u,
                    Nodes = shown.Select(j => new
                    {
                        Node = j,
                        InputConnectivity = inputConnectivity[j],
                        ConnectedInputs = MaskGridFigure.ConnectedInputs(snapshot.Mask.Row(j)),
                    }),
                });
            }
            byte[] gif = GifEncoder.Encode(NormaliseSizes(frames), delayCentiseconds);
            var data = new
            {
                Geometry = new { geometry.Channels, geometry.Height, geometry.Width },
                DelayCentiseconds = delayCentiseconds,
                Frames = frameData,
            };
            return FigureFiles.Write(basePath, ".gif", gif, ".json",
                System.Text.Json.JsonSerializer.Serialize(data, FigureFiles.Json));
        }
        finally
        {
            foreach (SKBitmap frame in frames)
            {
                frame.Dispose();
            }
        }
    }

    /// <summary>Pads frames to a common size; frames normally agree already (same tiles, layout and title length).</summary>
    private static IReadOnlyList<SKBitmap> NormaliseSizes(List<SKBitmap> frames)
    {
        int width = frames.Max(f => f.Width), height = frames.Max(f => f.Height);
        for (int k = 0; k < frames.Count; k++)
        {
            if (frames[k].Width == width && frames[k].Height == height)
            {
                continue;
            }
            var padded = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            using (var canvas = new SKCanvas(padded))
            {
                canvas.Clear(SKColors.White);
                canvas.DrawBitmap(frames[k], 0, 0);
            }
            frames[k].Dispose();
            frames[k] = padded;
        }
        return frames;
    }
}
