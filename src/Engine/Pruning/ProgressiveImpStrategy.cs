using static TorchSharp.torch;

namespace Grid.Engine.Pruning;

/// <summary>
/// Progressive layer-by-layer IMP for deep nets (SM B.6): IMP on one prunable layer at a time, at rate p, while
/// the best validation accuracy stays at least the dense one (iteration 0); when an iteration is worse, that
/// layer goes back to the last mask that was not worse and is frozen, and pruning moves to the next layer.
/// </summary>
public sealed class ProgressiveImpStrategy : IPruningStrategy
{
    public string Name => "progressive";

    public string Description => "progressive layer-by-layer IMP: prune one layer until accuracy drops below dense, freeze, move on";

    public IReadOnlyList<string> Parameters => ["rate"];

    public bool Iterative => true;

    public PruningDecision Next(PruningContext context)
    {
        var prunable = Enumerable.Range(0, context.CurrentMask.LayerCount).Where(l => context.Prunable[l]).ToList();
        if (prunable.Count == 0)
        {
            return PruningDecision.Stop("no layer is prunable");
        }

        double dense = context.FinishedIteration == 0 ? context.BestValAccuracy : context.History[0].BestValAccuracy;
        var weights = context.TrainedWeights();
        int active = ActiveLayer(context, prunable);
        if (context.BestValAccuracy >= dense)
        {
            return new PruningDecision(PruneLayer(context.CurrentMask, active, context.Spec.Pruning.Rate, weights), null);
        }

        // Worse than dense: restore the active layer's previous mask, freeze it, prune the next layer.
        int next = prunable.IndexOf(active) + 1;
        if (next >= prunable.Count)
        {
            return PruningDecision.Stop($"every prunable layer is frozen (layer {active + 1} was the last)");
        }

        using var previous = context.MaskOfIteration(context.FinishedIteration - 1);
        using var restored = new MaskSet([.. context.CurrentMask.Masks.Select((m, l) => l == active ? previous.Masks[l].clone() : m.clone())]);
        return new PruningDecision(PruneLayer(restored, prunable[next], context.Spec.Pruning.Rate, weights), null);
    }

    /// <summary>The layer pruned by the iteration just trained: the last one whose mask differs from its predecessor's
    /// (when a layer is frozen, it is restored and the next one pruned in the same step).</summary>
    private static int ActiveLayer(PruningContext context, IReadOnlyList<int> prunable)
    {
        if (context.FinishedIteration == 0)
        {
            return prunable[0];
        }

        using var previous = context.MaskOfIteration(context.FinishedIteration - 1);
        foreach (int l in prunable.Reverse())
        {
            if (!previous.Masks[l].equal(context.CurrentMask.Masks[l]).all().item<bool>())
            {
                return l;
            }
        }

        return prunable[0];
    }

    /// <summary>Prunes a fraction <paramref name="rate"/> of the remaining weights of one layer by trained magnitude.</summary>
    private static MaskSet PruneLayer(MaskSet mask, int layer, double rate, IReadOnlyList<Tensor> weights)
    {
        double density = mask.LayerDensities()[layer] * (1 - rate);
        var flags = Enumerable.Range(0, mask.LayerCount).Select(l => l == layer).ToList();
        return MagnitudePruning.LayerWise(weights, mask, flags, density);
    }
}
