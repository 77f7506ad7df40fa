namespace Grid.Engine.Pruning;

/// <summary>docs/science.md §4: prune the trained dense net once, layer-wise by magnitude, to target_density; rewind and retrain.</summary>
public sealed class OneShotStrategy : IPruningStrategy
{
    public string Name => "one-shot";

    public string Description => "one magnitude cut of the trained dense net to target_density, then rewind and retrain";

    public IReadOnlyList<string> Parameters => ["target_density"];

    public PruningDecision Next(PruningContext context) =>
        context.FinishedIteration == 0
            ? new PruningDecision(
                MagnitudePruning.LayerWise(context.TrainedWeights(), context.CurrentMask, context.Prunable, context.Spec.Pruning.TargetDensity),
                null)
            : PruningDecision.Stop("one-shot pruning trains a single pruned iteration");
}
