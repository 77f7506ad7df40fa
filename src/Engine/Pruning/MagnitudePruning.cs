using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Pruning;

/// <summary>Keeps the largest-|score| weights among the currently unpruned ones, per layer or with one global threshold.</summary>
public static class MagnitudePruning
{
    /// <summary>Each prunable layer keeps round(keepFraction · n_weights) of its weights (docs/science.md §3, layer-wise IMP).</summary>
    public static MaskSet LayerWise(IReadOnlyList<Tensor> scores, MaskSet current, IReadOnlyList<bool> prunable, double keepFraction)
    {
        var masks = new List<Tensor>();
        for (int l = 0; l < current.LayerCount; l++)
        {
            if (!prunable[l])
            {
                masks.Add(current.Masks[l].clone());
                continue;
            }

            using var eligible = EligibleScores(scores[l], current.Masks[l]);
            long keep = KeepCount(eligible.numel(), keepFraction);
            masks.Add(KeepTop(eligible, keep).reshape(current.Masks[l].shape));
        }

        return new MaskSet(masks);
    }

    /// <summary>One threshold over all prunable layers together: round(keepFraction · n_prunable) weights survive.</summary>
    public static MaskSet Global(IReadOnlyList<Tensor> scores, MaskSet current, IReadOnlyList<bool> prunable, double keepFraction)
    {
        var layers = Enumerable.Range(0, current.LayerCount).Where(l => prunable[l]).ToList();
        var flat = layers.Select(l => EligibleScores(scores[l], current.Masks[l])).ToList();
        using var all = cat(flat, 0);
        long keep = KeepCount(all.numel(), keepFraction);
        using var kept = KeepTop(all, keep);
        var masks = current.Masks.Select(m => m.clone()).ToList();
        long offset = 0;
        foreach (var (layer, scoresOfLayer) in layers.Zip(flat))
        {
            long n = scoresOfLayer.numel();
            masks[layer].Dispose();
            masks[layer] = kept.narrow(0, offset, n).reshape(current.Masks[layer].shape).clone();
            offset += n;
            scoresOfLayer.Dispose();
        }

        return new MaskSet(masks);
    }

    public static long KeepCount(long total, double keepFraction) =>
        Math.Clamp((long)Math.Round(total * keepFraction), 0, total);

    /// <summary>|score| for unpruned weights, -1 for pruned ones so they are never chosen again.</summary>
    private static Tensor EligibleScores(Tensor score, Tensor mask) =>
        where(mask.gt(TorchScalars.Zero), score.to(CPU).abs().to_type(float64), tensor(-1.0, float64)).flatten();

    private static Tensor KeepTop(Tensor flatScores, long keep)
    {
        var mask = zeros(flatScores.numel(), dtype: float32);
        if (keep > 0)
        {
            var (_, indices) = flatScores.topk((int)keep, largest: true, sorted: false);
            mask.index_fill_(0, indices, 1);
            indices.Dispose();
        }

        return mask;
    }
}
