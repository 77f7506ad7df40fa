using Grid.Engine.Model;
using Grid.Engine.Pruning;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Model;

public sealed class MaskedMlpTests
{
    private static readonly NetworkSpec Network = new() { Hidden = [64, 64, 64] };

    [Fact]
    public void GlorotInitialisationHasTheRightStatisticsAndZeroBiases()
    {
        using var model = new MaskedMlp(784, new NetworkSpec { Hidden = [512, 256] }, 10, 0.99, CPU);
        using var generator = new Generator(3);
        model.Initialise(generator);
        for (int l = 0; l < model.LayerCount; l++)
        {
            var weight = model.Linear(l).weight!;
            double expectedStd = Math.Sqrt(2.0 / (weight.shape[0] + weight.shape[1]));
            Assert.InRange(weight.mean().item<float>(), -0.05 * expectedStd, 0.05 * expectedStd);
            Assert.InRange(weight.std().item<float>(), 0.97 * expectedStd, 1.03 * expectedStd);
            Assert.Equal(0f, model.Linear(l).bias!.abs().max().item<float>());
        }
    }

    [Fact]
    public void SameSeedGivesSameInitialWeights()
    {
        using var a = new MaskedMlp(20, Network, 5, 0.99, CPU);
        using var b = new MaskedMlp(20, Network, 5, 0.99, CPU);
        using (var g = new Generator(11)) { a.Initialise(g); }
        using (var g = new Generator(11)) { b.Initialise(g); }
        Assert.True(a.Linear(0).weight!.equal(b.Linear(0).weight!).all().item<bool>());
    }

    [Fact]
    public void MaskedWeightsStayExactlyZeroThroughTraining()
    {
        var data = new RandomBatchSource(20, 5);
        foreach (string optimiser in Optimizers.All)
        {
            using var model = new MaskedMlp(20, Network, 5, 0.99, CPU);
            using (var g = new Generator(1)) { model.Initialise(g); }
            using var random = new Generator(2);
            using var dense = MaskSet.Dense(model.LayerWidths);
            using var mask = RandomStrategy.RandomMask(dense, model.PruneFlags, 0.3, random);
            model.SetMasks(mask.Masks);
            var spec = new TrainingSpec { Optimizer = optimiser, LearningRate = optimiser == Optimizers.Adam ? 0.01 : 0.1, BatchSize = 32, Steps = 50, ValidateEvery = 25 };
            new Trainer(spec, data).Train(model, random, [], null, CancellationToken.None);
            for (int l = 0; l < model.LayerCount; l++)
            {
                var pruned = model.Linear(l).weight!.masked_select(mask.Masks[l].eq(0));
                Assert.True(pruned.numel() > 0 || !model.PruneFlags[l]);
                Assert.Equal(0, pruned.count_nonzero().item<long>());
            }
        }
    }

    [Fact]
    public void TrainingLearnsTheSyntheticTaskAndReportsTheBestPoint()
    {
        var data = new RandomBatchSource(20, 4);
        using var model = new MaskedMlp(20, Network, 4, 0.99, CPU);
        using var generator = new Generator(5);
        model.Initialise(generator);
        var spec = new TrainingSpec { BatchSize = 64, Steps = 300, ValidateEvery = 50 };
        var result = new Trainer(spec, data).Train(model, generator, [], null, CancellationToken.None);
        Assert.Equal(6, result.Curve.Count);
        Assert.True(result.BestValAccuracy > 0.7, $"best validation accuracy {result.BestValAccuracy}");
        Assert.Equal(result.Curve.Max(p => p.ValAccuracy), result.BestValAccuracy);
        Assert.Equal(result.Curve.First(p => p.ValAccuracy == result.BestValAccuracy).Step, result.BestStep);
        Assert.Equal(1.0, result.BestValTop5);
    }

    [Fact]
    public void DivergenceStopsTheRunWithAClearError()
    {
        var data = new RandomBatchSource(20, 4);
        using var model = new MaskedMlp(20, new NetworkSpec { Hidden = [16], BatchNorm = false }, 4, 0.99, CPU);
        using var generator = new Generator(5);
        model.Initialise(generator);
        var spec = new TrainingSpec { LearningRate = 1e30, BatchSize = 16, Steps = 40, ValidateEvery = 10 };
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(spec, data).Train(model, generator, [], null, CancellationToken.None));
        Assert.Contains("diverged", error.Message);
    }
}
