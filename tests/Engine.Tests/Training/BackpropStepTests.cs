using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class BackpropStepTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gradients_and_running_averages_match_autograd_through_the_module(bool batchNorm)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var data = new RandomBatchSource(20, 5);
        using var explicitModel = Model(batchNorm);
        using var autogradModel = Model(batchNorm);
        using var masks = MaskEveryOther(explicitModel);
        explicitModel.SetMasks(masks.Masks);
        autogradModel.SetMasks(masks.Masks);
        var (images, labels) = data.TrainBatch(32, new Generator(1));

        explicitModel.train();
        using var step = BackpropStep.Dense(explicitModel, new TrainingSpec(), ThreadBudget.Fixed(2));
        var (loss, correct) = step.Gradients(images, labels);

        autogradModel.train();
        var logits = autogradModel.forward(images);
        var referenceLoss = nn.functional.cross_entropy(logits, labels);
        referenceLoss.backward();
        autogradModel.MaskGradients();

        Assert.Equal(referenceLoss.item<float>(), loss.item<float>(), 5);
        Assert.Equal(logits.argmax(1).eq(labels).sum().item<long>(), (long)correct.item<float>());
        var explicitParameters = explicitModel.parameters().ToList();
        var autogradParameters = autogradModel.parameters().ToList();
        for (int i = 0; i < explicitParameters.Count; i++)
        {
            AssertClose(autogradParameters[i].grad!, explicitParameters[i].grad!, 1e-5, $"gradient of parameter {i}");
        }

        for (int l = 0; batchNorm && l < explicitModel.LayerCount - 1; l++)
        {
            AssertClose(autogradModel.Norm(l).running_mean!, explicitModel.Norm(l).running_mean!, 1e-6, $"running mean {l}");
            AssertClose(autogradModel.Norm(l).running_var!, explicitModel.Norm(l).running_var!, 1e-5, $"running variance {l}");
        }

        // Masked weights get no gradient.
        for (int l = 0; l < explicitModel.LayerCount; l++)
        {
            Assert.Equal(0, explicitModel.Linear(l).weight!.grad!.masked_select(masks.Masks[l].eq(0)).abs().sum().item<float>());
        }
    }

    [Fact]
    public void Training_gives_the_same_bits_with_one_thread_and_with_two()
    {
        TorchRuntime.EnsureLoaded();
        var one = TrainOnThread(1);
        var two = TrainOnThread(2);

        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(one[i].SequenceEqual(two[i]), $"parameter {i} differs between 1 and 2 threads");
        }
    }

    /// <summary>The weights after 30 SGD steps of a BN network trained on a thread with <paramref name="threads"/> libtorch threads.</summary>
    private static float[][] TrainOnThread(int threads)
    {
        float[][] result = [];
        OwnThread.Run(() =>
        {
            var budget = ThreadBudget.Fixed(threads);
            budget.EnsureStarted();
            var data = new RandomBatchSource(64, 10, trainCount: 2000);
            using var model = new MaskedMlp(64, new NetworkSpec { Hidden = [256, 256] }, 10, 0.99, CPU);
            using var generator = new Generator(4);
            model.Initialise(generator);
            var spec = new TrainingSpec { BatchSize = 500, Steps = 30, ValidateEvery = 30, LearningRate = 0.1 };
            new Trainer(spec, data, budget).Train(model, generator, [], null, CancellationToken.None);
            result = [.. model.parameters().Select(p => p.detach().data<float>().ToArray())
                .Concat(Enumerable.Range(0, model.LayerCount - 1).Select(l => model.Norm(l).running_var!.data<float>().ToArray()))];
        });
        return result;
    }

    private static MaskedMlp Model(bool batchNorm)
    {
        var model = new MaskedMlp(20, new NetworkSpec { Hidden = [16, 12], BatchNorm = batchNorm }, 5, 0.9, CPU);
        model.Initialise(new Generator(11));
        return model;
    }

    private static Grid.Engine.Pruning.MaskSet MaskEveryOther(MaskedMlp model) =>
        new([.. model.LayerWidths.Zip(model.LayerWidths.Skip(1), (inputs, outputs) =>
            arange(outputs * inputs).remainder(2).to_type(float32).reshape(outputs, inputs))]);

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= tolerance * Math.Max(1, expected.abs().max().item<float>()), $"{what}: max |difference| {difference:G3}");
    }
}
