using Grid.Engine.Model;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Runs;

public sealed class RealDataTrainingTests
{
    [Fact]
    public void ASmallNetLearnsRealFashionMnistAbove80Percent()
    {
        var spec = new ExperimentSpec
        {
            Dataset = new DatasetSpec { Fraction = 0.5, ValSize = 5000 },
            Network = new NetworkSpec { Hidden = [128, 128, 128] },
            Training = new TrainingSpec { BatchSize = 100, Steps = 1000, ValidateEvery = 250 },
        };
        using var data = ExperimentData.Load(spec, CPU);
        Assert.Equal(784, data.Inputs);
        Assert.Equal(10, data.Classes);
        using var model = MaskedMlp.For(spec, data, CPU);
        using var generator = new Generator(1);
        model.Initialise(generator);
        var result = new Trainer(spec.Training, data).Train(model, generator, [], null, CancellationToken.None);
        Assert.True(result.BestValAccuracy > 0.80, $"best validation accuracy {result.BestValAccuracy:P1}");
    }
}
