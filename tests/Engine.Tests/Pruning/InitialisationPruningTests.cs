using Grid.Engine.Model;
using Grid.Engine.Pruning;
using Grid.Engine.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Pruning;

public sealed class InitialisationPruningTests
{
    [Fact]
    public void SnipSaliencyEqualsTheLossGradientWithRespectToTheMask()
    {
        var data = new RandomBatchSource(12, 3);
        var network = new NetworkSpec { Hidden = [8, 6] };
        using var model = new MaskedMlp(12, network, 3, 0.99, CPU);
        using var g = new Generator(4);
        model.Initialise(g);
        var (images, labels) = data.TrainBatch(64, g);
        var saliency = SnipStrategy.Saliency(model, images, labels);

        // Independent computation: make the masks the leaves and differentiate the loss with respect to them.
        var masks = Enumerable.Range(0, model.LayerCount).Select(l => ones_like(model.Linear(l).weight!).requires_grad_(true)).ToList();
        Tensor x = images;
        for (int l = 0; l < model.LayerCount; l++)
        {
            var linear = model.Linear(l);
            x = nn.functional.linear(x, linear.weight!.detach() * masks[l], linear.bias!.detach());
            if (l < model.LayerCount - 1)
            {
                var mean = x.mean([0], keepdim: true);
                var variance = x.var([0], unbiased: false, keepdim: true);
                x = nn.functional.relu((x - mean) / (variance + 1e-3).sqrt());
            }
        }

        nn.functional.cross_entropy(x, labels).backward();
        for (int l = 0; l < model.LayerCount; l++)
        {
            Assert.True(saliency[l].allclose(masks[l].grad!.abs(), rtol: 1e-4, atol: 1e-7), $"layer {l + 1}");
        }
    }

    [Fact]
    public void SynflowScoresEqualHandComputedPathSumsOnATwoLayerNet()
    {
        var network = new NetworkSpec { Hidden = [4], BatchNorm = false };
        using var model = new MaskedMlp(3, network, 2, 0.99, CPU);
        using var g = new Generator(8);
        model.Initialise(g);
        var w1 = model.Linear(0).weight!.detach().abs().to_type(float64).clone(); // [4, 3]
        var w2 = model.Linear(1).weight!.detach().abs().to_type(float64).clone(); // [2, 4]
        model.to(float64);
        using var dense = MaskSet.Dense(model.LayerWidths);
        var scores = SynflowStrategy.Scores(model, [w1, w2], dense);

        // R = Σ_k Σ_i |W2_ki| Σ_j |W1_ij| (biases are zero at initialisation).
        var expected1 = w1 * w2.sum(0L).unsqueeze(1);   // |W1_ij| · Σ_k |W2_ki|
        var expected2 = w2 * w1.sum(1).unsqueeze(0);   // |W2_ki| · Σ_j |W1_ij|
        Assert.True(scores[0].allclose(expected1, rtol: 1e-12, atol: 0));
        Assert.True(scores[1].allclose(expected2, rtol: 1e-12, atol: 0));
    }

    [Fact]
    public void SynflowReachesTheTargetDensityOnAnExponentialSchedule()
    {
        var network = new NetworkSpec { Hidden = [30, 20] };
        using var model = new MaskedMlp(40, network, 5, 0.99, CPU);
        using var g = new Generator(8);
        model.Initialise(g);
        using var dense = MaskSet.Dense(model.LayerWidths);
        using var mask = SynflowStrategy.Prune(model, dense, 0.1, 10);
        Assert.Equal(0.1, mask.PrunableDensity(model.PruneFlags), 3);
        Assert.Equal(1.0, mask.LayerDensities()[^1]);

        // After k of R rounds the density is target^(k/R).
        using var model2 = new MaskedMlp(40, network, 5, 0.99, CPU);
        using var g2 = new Generator(8);
        model2.Initialise(g2);
        using var dense2 = MaskSet.Dense(model2.LayerWidths);
        using var partial = SynflowStrategy.Prune(model2, dense2, Math.Pow(0.1, 0.5), 5);
        Assert.Equal(Math.Pow(0.1, 0.5), partial.PrunableDensity(model2.PruneFlags), 3);
    }

    [Fact]
    public void OneShotEqualsOneMagnitudeCut()
    {
        using var model = new MaskedMlp(40, new NetworkSpec { Hidden = [30, 20] }, 5, 0.99, CPU);
        using var g = new Generator(2);
        model.Initialise(g);
        using var dense = MaskSet.Dense(model.LayerWidths);
        var spec = new ExperimentSpec { Pruning = new PruningSpec { Method = "one-shot", TargetDensity = 0.05 } };
        var context = new PruningContext(spec, 0, 0.5, dense, model, null!, null!, [], _ => dense, g);
        var decision = new OneShotStrategy().Next(context);
        var weights = context.TrainedWeights();
        using var expected = MagnitudePruning.LayerWise(weights, dense, model.PruneFlags, 0.05);
        for (int l = 0; l < model.LayerCount; l++)
        {
            Assert.True(decision.NextMask!.Masks[l].equal(expected.Masks[l]).all().item<bool>());
        }

        Assert.Null(new OneShotStrategy().Next(context with { FinishedIteration = 1 }).NextMask);
    }
}
