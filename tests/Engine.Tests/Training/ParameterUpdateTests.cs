using Grid.Engine.Model;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Training;

/// <summary>
/// The engine's own SGD and Adam steps (which hold their Scalars, see TorchScalars) give bit for bit the parameters
/// of TorchSharp's optim.SGD and optim.Adam on the same batches.
/// </summary>
public sealed class ParameterUpdateTests
{
    private static readonly NetworkSpec Network = new() { Hidden = [16, 16] };

    [Theory]
    [InlineData(Optimizers.Sgd, 0.1)]
    [InlineData(Optimizers.Adam, 0.01)]
    public void Steps_match_torchsharps_optimiser_exactly(string optimiser, double learningRate)
    {
        var data = new RandomBatchSource(20, 5);
        using var ours = NewModel();
        using var theirs = NewModel();
        var spec = new TrainingSpec { Optimizer = optimiser, LearningRate = learningRate };
        using var update = ParameterUpdate.For(spec, ours);
        using optim.Optimizer reference = optimiser == Optimizers.Sgd
            ? optim.SGD(theirs.parameters(), learningRate)
            : optim.Adam(theirs.parameters(), learningRate);
        using var batches = new Generator(5);

        for (int step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            var (images, labels) = data.TrainBatch(32, batches);

            update.ZeroGrad();
            nn.functional.cross_entropy(ours.forward(images), labels).backward();
            update.Step();

            reference.zero_grad();
            nn.functional.cross_entropy(theirs.forward(images), labels).backward();
            reference.step();
        }

        var expected = theirs.parameters().ToList();
        var actual = ours.parameters().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(actual[i].equal(expected[i]).all().item<bool>(), $"parameter {i} differs after 20 {optimiser} steps");
        }

        using var initial = NewModel();
        Assert.False(initial.parameters().First().equal(actual[0]).all().item<bool>()); // the steps did change the weights
    }

    private static MaskedMlp NewModel()
    {
        var model = new MaskedMlp(20, Network, 5, 0.99, CPU);
        using var generator = new Generator(3);
        model.Initialise(generator);
        model.train();
        return model;
    }
}
