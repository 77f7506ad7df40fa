using Grid.Analysis.Masks;
using Grid.Analysis.Output;

namespace Grid.Analysis.Pictures;

/// <summary>The validation images that activate one node the most (computed elsewhere; needs the trained network).</summary>
/// <param name="Images">Channel-major (C, H, W) bytes per image, most activating first.</param>
/// <param name="Activations">Optional activation value per image.</param>
public sealed record NodeTopImages(int Node, IReadOnlyList<byte[]> Images, IReadOnlyList<double>? Activations = null);

/// <summary>
/// Columns of hand-picked nodes (paper Fig. 3b): optionally the mask and the masked weights on top, then the images with
/// the largest activation. Data: JSON with nodes, activations and the images' bytes.
/// </summary>
public static class ActivationStripFigure
{
    public static FigureFiles Save(string basePath, InputGeometry geometry, IReadOnlyList<NodeTopImages> nodes,
        LayerMask? mask = null, float[]? weights = null, string title = "Images with the largest activation", int scale = 3)
    {
        ArgumentOutOfRangeException.ThrowIfZero(nodes.Count);
        if (mask is not null)
        {
            geometry.EnsureMatches(mask);
        }
        if (weights is not null && mask is null)
        {
            throw new ArgumentException("Masked weights need the mask.", nameof(weights));
        }
        int imageRows = nodes.Max(n => n.Images.Count);
        var rowLabels = new List<string>();
        var rows = new List<ImageTile?[]>();
        if (mask is not null)
        {
            rowLabels.Add("mask");
            rows.Add(nodes.Select(n => (ImageTile?)new ImageTile(NodeImages.Mask(mask, n.Node, geometry))).ToArray());
        }
        if (mask is not null && weights is not null)
        {
            rowLabels.Add("w*m");
            rows.Add(nodes.Select(n => (ImageTile?)new ImageTile(
                NodeImages.MaskedWeights(weights.AsSpan(n.Node * mask.Inputs, mask.Inputs), mask.Row(n.Node), geometry))).ToArray());
        }
        for (int r = 0; r < imageRows; r++)
        {
            rowLabels.Add($"input {r + 1}");
            int row = r;
            rows.Add(nodes.Select(n => row < n.Images.Count
                ? new ImageTile(NodeImages.Input(n.Images[row], geometry),
                    n.Activations is { } a && row < a.Count ? a[row].ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : null)
                : null).ToArray());
        }
        byte[] png = ImageGrid.RenderPng(rows.SelectMany(r => r).ToArray(), new ImageGridLayout
        {
            Columns = nodes.Count,
            Scale = scale,
            Title = title,
            RowLabels = rowLabels,
        });
        var data = new
        {
            Geometry = new { geometry.Channels, geometry.Height, geometry.Width },
            Nodes = nodes.Select(n => new
            {
                n.Node,
                n.Activations,
                Images = n.Images.Select(image => image.Select(b => (int)b).ToArray()),
            }),
        };
        return FigureFiles.WritePngWithJson(basePath, png, data);
    }
}
