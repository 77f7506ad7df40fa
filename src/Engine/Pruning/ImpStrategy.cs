namespace Grid.Engine.Pruning;

/// <summary>Iterative magnitude pruning: after iteration n every prunable layer (or all together, global)
/// keeps (1-p)^(n+1) of its weights, largest |w| at the end of training.</summary>
public sealed class ImpStrategy(bool global) : IPruningStrategy
{
    public string Name => global ? "imp-global" : "imp";

    public string Description => global
        ? "iterative magnitude pruning with one global threshold over all prunable layers"
        : "iterative magnitude pruning, layer-wise (the paper's default)";

    public IReadOnlyList<string> Parameters => ["rate"];

    public bool Iterative => true;

    public bool StopsAtRatio => true;

    public PruningDecision Next(PruningContext context)
    {
        var pruning = context.Spec.Pruning;
        double keep = Math.Pow(1 - pruning.Rate, context.FinishedIteration + 1);
        var weights = context.TrainedWeights();
        var next = global
            ? MagnitudePruning.Global(weights, context.CurrentMask, context.Prunable, keep)
            : MagnitudePruning.LayerWise(weights, context.CurrentMask, context.Prunable, keep);
        var stop = StopCriterion.Disconnected(next, context.Prunable);
        if (stop is not null)
        {
            next.Dispose();
            return PruningDecision.Stop(stop);
        }

        return new PruningDecision(next, null);
    }
}
