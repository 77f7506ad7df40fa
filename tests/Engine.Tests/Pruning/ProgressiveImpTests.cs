using Grid.Engine.Model;
using Grid.Engine.Pruning;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Pruning;

public sealed class ProgressiveImpTests
{
    private static IterationOutcome Outcome(int n, double accuracy) => new()
    {
        Iteration = n, UnprunedFraction = 1, LayerUnprunedFractions = [], BestValAccuracy = accuracy, BestValTop5 = 1,
        BestStep = 1, FinalTrainLoss = 0, TrainSeconds = 0, IsLast = false,
    };

    [Fact]
    public void PrunesOneLayerWhileNotWorseThenRestoresFreezesAndMovesOn()
    {
        using var model = new MaskedMlp(20, new NetworkSpec { Hidden = [16, 16, 16] }, 4, 0.99, CPU);
        using var g = new Generator(3);
        model.Initialise(g);
        var spec = new ExperimentSpec { Pruning = new PruningSpec { Method = "progressive", Rate = 0.5 } };
        var strategy = new ProgressiveImpStrategy();
        var masks = new List<MaskSet> { MaskSet.Dense(model.LayerWidths) };
        var history = new List<IterationOutcome>();
        double[] accuracies = [0.80, 0.81, 0.70, 0.80];
        for (int n = 0; n < accuracies.Length; n++)
        {
            var context = new PruningContext(spec, n, accuracies[n], masks[n], model, null!, null!, [.. history], i => new MaskSet([.. masks[i].Masks.Select(m => m.clone())]), g);
            masks.Add(strategy.Next(context).NextMask!);
            history.Add(Outcome(n, accuracies[n]));
        }

        double[] Densities(int n) => [.. masks[n].LayerDensities()];
        Assert.Equal([0.5, 1, 1, 1], Densities(1));      // after dense: layer 1 pruned
        Assert.Equal([0.25, 1, 1, 1], Densities(2));     // 0.81 >= 0.80: layer 1 again
        // 0.70 < 0.80: layer 1 goes back to its iteration-1 mask and is frozen; layer 2 starts
        Assert.Equal([0.5, 0.5, 1, 1], Densities(3));
        Assert.True(masks[3].Masks[0].equal(masks[1].Masks[0]).all().item<bool>());
        Assert.Equal([0.5, 0.25, 1, 1], Densities(4));   // layer 1 stays frozen while layer 2 is pruned
        Assert.True(masks[4].Masks[0].equal(masks[1].Masks[0]).all().item<bool>());
    }
}
