using System.Globalization;
using Grid.Analysis.Masks;
using Grid.Analysis.Observables;
using Grid.Analysis.Output;

namespace Grid.Analysis.Pictures;

/// <summary>
/// Grids of the most connected nodes (paper Fig. 3a, 12, 13): binary masks, masked weights w*m, or effective masks
/// mu of deeper layers. Data: JSON with, per tile, the node, its connectivity and its connected inputs (or values).
/// </summary>
public static class MaskGridFigure
{
    /// <summary>Masks of the <paramref name="count"/> nodes with the largest C^in (layer 1, or any effective mask).</summary>
    public static FigureFiles SaveMostConnectedMasks(string basePath, LayerMask mask, InputGeometry geometry,
        int count = 30, int columns = 10, string? title = null, int scale = 3)
    {
        geometry.EnsureMatches(mask);
        int[] inputConnectivity = Connectivity.InputConnectivity(mask);
        int[] nodes = MostConnectedNodes.Top(inputConnectivity, count);
        var tiles = nodes.Select(j => (ImageTile?)new ImageTile(NodeImages.Mask(mask, j, geometry), $"C={inputConnectivity[j]}")).ToArray();
        byte[] png = ImageGrid.RenderPng(tiles, new ImageGridLayout
        {
            Columns = columns,
            Scale = scale,
            Title = title ?? string.Create(CultureInfo.InvariantCulture,
                $"Masks of the {nodes.Length} most connected nodes (u = {100 * Connectivity.UnprunedFraction(mask):0.###}%)"),
        });
        var data = new
        {
            Geometry = new { geometry.Channels, geometry.Height, geometry.Width },
            Tiles = nodes.Select((j, rank) => new
            {
                Rank = rank,
                Node = j,
                InputConnectivity = inputConnectivity[j],
                ConnectedInputs = ConnectedInputs(mask.Row(j)),
            }),
        };
        return FigureFiles.WritePngWithJson(basePath, png, data);
    }

    /// <summary>Effective masks mu^l (from <see cref="EffectiveMasks"/>) of the nodes reaching the most pixels (Fig. 12, 15).</summary>
    public static FigureFiles SaveMostConnectedEffectiveMasks(string basePath, LayerMask effectiveMask, InputGeometry geometry, int layer,
        int count = 30, int columns = 10, string? title = null, int scale = 3) =>
        SaveMostConnectedMasks(basePath, effectiveMask, geometry, count, columns,
            title ?? $"Effective masks of layer {layer}: the {Math.Min(count, effectiveMask.Nodes)} nodes reaching the most inputs", scale);

    /// <summary>Masked weights w*m of the most connected nodes, each scaled from its minimum to its maximum (Fig. 3b).</summary>
    /// <param name="weights">The layer's weights, [nodes, inputs] row-major like the mask.</param>
    public static FigureFiles SaveMostConnectedMaskedWeights(string basePath, LayerMask mask, float[] weights, InputGeometry geometry,
        int count = 30, int columns = 10, string? title = null, int scale = 3)
    {
        geometry.EnsureMatches(mask);
        if (weights.Length != mask.Values.Length)
        {
            throw new ArgumentException($"Expected {mask.Nodes}x{mask.Inputs} weights, got {weights.Length}.", nameof(weights));
        }
        int[] inputConnectivity = Connectivity.InputConnectivity(mask);
        int[] nodes = MostConnectedNodes.Top(inputConnectivity, count);
        var tiles = nodes
            .Select(j => (ImageTile?)new ImageTile(
                NodeImages.MaskedWeights(weights.AsSpan(j * mask.Inputs, mask.Inputs), mask.Row(j), geometry), $"C={inputConnectivity[j]}"))
            .ToArray();
        byte[] png = ImageGrid.RenderPng(tiles, new ImageGridLayout
        {
            Columns = columns,
            Scale = scale,
            Title = title ?? $"Masked weights w*m of the {nodes.Length} most connected nodes (min..max per node)",
        });
        var data = new
        {
            Geometry = new { geometry.Channels, geometry.Height, geometry.Width },
            Tiles = nodes.Select((j, rank) => new
            {
                Rank = rank,
                Node = j,
                InputConnectivity = inputConnectivity[j],
                MaskedWeights = MaskedRow(weights.AsSpan(j * mask.Inputs, mask.Inputs), mask.Row(j)),
            }),
        };
        return FigureFiles.WritePngWithJson(basePath, png, data);
    }

    internal static int[] ConnectedInputs(ReadOnlySpan<byte> row)
    {
        var connected = new List<int>();
        for (int i = 0; i < row.Length; i++)
        {
            if (row[i] != 0)
            {
                connected.Add(i);
            }
        }
        return connected.ToArray();
    }

    private static float[] MaskedRow(ReadOnlySpan<float> weights, ReadOnlySpan<byte> mask)
    {
        var masked = new float[weights.Length];
        for (int i = 0; i < masked.Length; i++)
        {
            masked[i] = mask[i] != 0 ? weights[i] : 0f;
        }
        return masked;
    }
}
