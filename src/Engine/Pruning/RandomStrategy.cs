using static TorchSharp.torch;

namespace Grid.Engine.Pruning;

/// <summary>Random pruning baseline: every prunable layer keeps exactly round(target_density · n) uniformly chosen weights.</summary>
public sealed class RandomStrategy : IPruningStrategy
{
    public string Name => "random";

    public string Description => "uniformly random mask at target_density per prunable layer (binomial connectivity reference)";

    public IReadOnlyList<string> Parameters => ["target_density"];

    public PruningDecision Next(PruningContext context)
    {
        if (context.FinishedIteration > 0)
        {
            return PruningDecision.Stop("random pruning trains a single pruned iteration");
        }

        return new PruningDecision(RandomMask(context.CurrentMask, context.Prunable, context.Spec.Pruning.TargetDensity, context.Random), null);
    }

    public static MaskSet RandomMask(MaskSet current, IReadOnlyList<bool> prunable, double density, Generator random)
    {
        var masks = new List<Tensor>();
        for (int l = 0; l < current.LayerCount; l++)
        {
            var shape = current.Masks[l].shape;
            if (!prunable[l])
            {
                masks.Add(current.Masks[l].clone());
                continue;
            }

            long total = current.Masks[l].numel();
            long keep = MagnitudePruning.KeepCount(total, density);
            var mask = zeros(total, dtype: float32);
            using var order = randperm(total, generator: random);
            mask.index_fill_(0, order.narrow(0, 0, keep), 1);
            masks.Add(mask.reshape(shape));
        }

        return new MaskSet(masks);
    }
}
