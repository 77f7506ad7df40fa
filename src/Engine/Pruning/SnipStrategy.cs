using Grid.Engine.Model;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Pruning;

/// <summary>
/// SNIP (Lee et al. 2019, docs/science.md §4): at initialisation, saliency |∂L/∂m| = |g·w| from one forward/backward pass on
/// snip_images training images; network-wide, the target_density most salient prunable weights survive.
/// Iteration 0 is the dense reference; iteration 1 trains the SNIP mask from the initial weights.
/// </summary>
public sealed class SnipStrategy : IPruningStrategy
{
    public string Name => "snip";

    public string Description => "SNIP: connection saliency |g·w| at initialisation on snip_images images, global cut to target_density";

    public IReadOnlyList<string> Parameters => ["target_density", "snip_images"];

    public bool StartsFromInitialisation => true;

    public PruningDecision Next(PruningContext context)
    {
        if (context.FinishedIteration > 0)
        {
            return PruningDecision.Stop("SNIP prunes once, at initialisation");
        }

        var spec = context.Spec;
        using var model = context.InitialModel();
        var (images, labels) = context.Data.TrainBatch(spec.Pruning.SnipImages, context.Random);
        var scores = Saliency(model, images, labels);
        images.Dispose();
        labels.Dispose();
        return new PruningDecision(MagnitudePruning.Global(scores, context.CurrentMask, context.Prunable, spec.Pruning.TargetDensity), null);
    }

    /// <summary>|∂L/∂w · w| per linear layer (on the CPU), BN in training mode as in the first training step.</summary>
    public static IReadOnlyList<Tensor> Saliency(MaskedMlp model, Tensor images, Tensor labels)
    {
        model.train();
        model.zero_grad();
        using (var loss = nn.functional.cross_entropy(model.forward(images), labels))
        {
            loss.backward();
        }

        var scores = new List<Tensor>();
        for (int l = 0; l < model.LayerCount; l++)
        {
            var weight = model.Linear(l).weight!;
            scores.Add(weight.grad!.mul(weight).abs().detach().to(CPU));
        }

        model.zero_grad();
        return scores;
    }
}
