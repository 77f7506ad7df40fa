using Grid.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Pruning;

/// <summary>
/// SynFlow (Tanaka et al. 2020, docs/science.md §4), data-free: every parameter replaced by its absolute value, BN in
/// evaluation mode, all-ones input, R = Σ outputs, score = |∂R/∂w · w|, in double precision. The target density
/// is reached in synflow_rounds rounds on the exponential schedule density_k = target^(k/rounds), one global
/// threshold per round. Iteration 1 trains the resulting mask from the initial weights.
/// </summary>
public sealed class SynflowStrategy : IPruningStrategy
{
    public string Name => "synflow";

    public string Description => "SynFlow: data-free iterative synaptic-flow pruning at initialisation (exponential schedule, float64)";

    public IReadOnlyList<string> Parameters => ["target_density", "synflow_rounds"];

    public bool StartsFromInitialisation => true;

    public PruningDecision Next(PruningContext context)
    {
        if (context.FinishedIteration > 0)
        {
            return PruningDecision.Stop("SynFlow prunes once, at initialisation");
        }

        var spec = context.Spec;
        using var model = context.InitialModel();
        return new PruningDecision(Prune(model, context.CurrentMask, spec.Pruning.TargetDensity, spec.Pruning.SynflowRounds), null);
    }

    public static MaskSet Prune(MaskedMlp model, MaskSet start, double targetDensity, int rounds)
    {
        model.to(float64);
        using (no_grad())
        {
            foreach (var parameter in model.parameters())
            {
                parameter.abs_();
            }
        }

        model.eval();
        var absoluteWeights = Enumerable.Range(0, model.LayerCount).Select(l => model.Linear(l).weight!.detach().clone()).ToList();
        var mask = new MaskSet([.. start.Masks.Select(m => m.clone())]);
        for (int round = 1; round <= rounds; round++)
        {
            using var scope = NewDisposeScope();
            var scores = Scores(model, absoluteWeights, mask);
            var next = MagnitudePruning.Global(scores, mask, model.PruneFlags, Math.Pow(targetDensity, round / (double)rounds));
            mask.Dispose();
            mask = next;
        }

        return mask;
    }

    /// <summary>|∂R/∂w · w| with w = |w0|·mask and R the sum of the outputs for an all-ones input.</summary>
    public static IReadOnlyList<Tensor> Scores(MaskedMlp model, IReadOnlyList<Tensor> absoluteWeights, MaskSet mask)
    {
        using (no_grad())
        {
            for (int l = 0; l < model.LayerCount; l++)
            {
                model.Linear(l).weight!.copy_(absoluteWeights[l] * mask.Masks[l].to(absoluteWeights[l].device).to_type(float64));
            }
        }

        model.zero_grad();
        using var input = ones([1, model.LayerWidths[0]], dtype: float64, device: model.Device);
        using (var r = model.forward(input).sum())
        {
            r.backward();
        }

        return [.. Enumerable.Range(0, model.LayerCount).Select(l =>
        {
            var weight = model.Linear(l).weight!;
            return weight.grad!.mul(weight).abs().detach().to(CPU);
        })];
    }
}
