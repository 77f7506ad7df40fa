using System.Numerics;
using System.Runtime.InteropServices;
using Grid.Analysis.Masks;

namespace Grid.Analysis.Observables;

/// <summary>
/// The pixel Gram matrices G^sc = sum_j sum_c a_jc a_jc^T and G^all = sum_j A_j A_j^T (P x P, row-major) of sparse
/// masks, as a sparse-times-dense product: for every unpruned input (j, c, p), row p of G^sc gains node j's whole
/// channel-c image, and for every pixel p with A_j[p] > 0, row p of G^all gains A_j[p] times A_j.
/// Work is about 2 nnz P vector additions instead of the dense 2 (C+1) N P^2 flops, and it grows linearly with u
/// (no pair enumeration). Rows of G are independent, so pixels are processed in parallel.
/// Exact while every entry stays below 2^24 (at most C^2 N), which the caller checks.
/// </summary>
internal static class SparseGram
{
    public static (float[] Same, float[] All) Compute(LayerMask nodes, InputGeometry geometry)
    {
        int n = nodes.Nodes, c = geometry.Channels, pixels = geometry.PixelsPerChannel;
        byte[] raw = nodes.RawValues;
        var channelRows = new float[(long)n * c * pixels];
        var sumRows = new float[(long)n * pixels];
        var rowsPerPixel = new int[pixels + 1];
        var nodesPerPixel = new int[pixels + 1];
        for (int j = 0; j < n; j++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int rowOffset = (j * c + ch) * pixels;
                for (int p = 0; p < pixels; p++)
                {
                    if (raw[rowOffset + p] != 0)
                    {
                        channelRows[rowOffset + p] = 1;
                        sumRows[j * pixels + p] += 1;
                        rowsPerPixel[p + 1]++;
                    }
                }
            }
            for (int p = 0; p < pixels; p++)
            {
                if (sumRows[j * pixels + p] != 0)
                {
                    nodesPerPixel[p + 1]++;
                }
            }
        }
        int[] rowsAt = Fill(rowsPerPixel, pixels, (fill, start) =>
        {
            for (int r = 0; r < n * c; r++)
            {
                for (int p = 0; p < pixels; p++)
                {
                    if (raw[r * pixels + p] != 0)
                    {
                        fill[start[p]++] = r;
                    }
                }
            }
        });
        int[] nodesAt = Fill(nodesPerPixel, pixels, (fill, start) =>
        {
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < pixels; p++)
                {
                    if (sumRows[j * pixels + p] != 0)
                    {
                        fill[start[p]++] = j;
                    }
                }
            }
        });

        var same = new float[(long)pixels * pixels];
        var all = new float[(long)pixels * pixels];
        Parallel.For(0, pixels, Runs.AnalysisParallelism.Options, p =>
        {
            Span<float> sameRow = same.AsSpan(p * pixels, pixels);
            for (int k = rowsPerPixel[p]; k < rowsPerPixel[p + 1]; k++)
            {
                AddScaled(sameRow, channelRows.AsSpan(rowsAt[k] * pixels, pixels), 1f);
            }
            Span<float> allRow = all.AsSpan(p * pixels, pixels);
            for (int k = nodesPerPixel[p]; k < nodesPerPixel[p + 1]; k++)
            {
                int j = nodesAt[k];
                AddScaled(allRow, sumRows.AsSpan(j * pixels, pixels), sumRows[j * pixels + p]);
            }
        });
        return (same, all);
    }

    /// <summary>Turns counts per pixel (shifted by one) into CSR offsets and fills the index array.</summary>
    private static int[] Fill(int[] offsets, int pixels, Action<int[], int[]> fill)
    {
        for (int p = 0; p < pixels; p++)
        {
            offsets[p + 1] += offsets[p];
        }
        var indices = new int[offsets[pixels]];
        var cursor = offsets[..pixels];
        fill(indices, cursor);
        return indices;
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float scale)
    {
        int vectorised = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            Span<Vector<float>> targetVectors = MemoryMarshal.Cast<float, Vector<float>>(target);
            ReadOnlySpan<Vector<float>> sourceVectors = MemoryMarshal.Cast<float, Vector<float>>(source);
            var factor = new Vector<float>(scale);
            for (int k = 0; k < targetVectors.Length; k++)
            {
                targetVectors[k] += sourceVectors[k] * factor;
            }
            vectorised = targetVectors.Length * Vector<float>.Count;
        }
        for (int k = vectorised; k < target.Length; k++)
        {
            target[k] += source[k] * scale;
        }
    }
}
