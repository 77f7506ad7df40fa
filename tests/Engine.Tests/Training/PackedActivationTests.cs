using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

/// <summary>Hidden layers that write a sparse layer's input and output gradient packed train the same network as the
/// unpacked path: the same products on the same numbers, only the bias gradient summed in another order.</summary>
public sealed class PackedActivationTests
{
    [Theory]
    [InlineData("sgd", true)]
    [InlineData("adam", false)]
    public void Packed_activations_train_as_the_unpacked_path(string optimizer, bool batchNorm)
    {
        TorchRuntime.EnsureLoaded();
        var spec = new TrainingSpec { Optimizer = optimizer, LearningRate = optimizer == "sgd" ? 0.1 : 0.001, BatchSize = 100 };
        var (packedWeights, packedPasses) = Train(spec, batchNorm, packs: true, threads: 2);
        var (plainWeights, plainPasses) = Train(spec, batchNorm, packs: false, threads: 2);

        Assert.Equal(0, plainPasses);
        Assert.Equal(50 * 2 * 2, packedPasses); // two hidden layers, each forward and backward, every step
        for (int i = 0; i < plainWeights.Length; i++)
        {
            double largest = plainWeights[i].Max(Math.Abs), difference = plainWeights[i].Zip(packedWeights[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(difference <= 1e-5 * Math.Max(1, largest), $"parameter {i}: max |difference| {difference:G3}");
        }
    }

    [Fact]
    public void Packed_activations_give_the_same_bits_with_one_thread_and_with_two()
    {
        TorchRuntime.EnsureLoaded();
        var spec = new TrainingSpec { LearningRate = 0.1, BatchSize = 100 };
        var one = Train(spec, batchNorm: true, packs: true, threads: 1).Weights;
        var two = Train(spec, batchNorm: true, packs: true, threads: 2).Weights;

        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(one[i].SequenceEqual(two[i]), $"parameter {i} differs between 1 and 2 threads");
        }
    }

    /// <summary>Every parameter after 50 steps of a network whose every layer, the output layer included, is sparse.</summary>
    private static (float[][] Weights, int PackedPasses) Train(TrainingSpec spec, bool batchNorm, bool packs, int threads)
    {
        (float[][], int) result = ([], 0);
        OwnThread.Run(() =>
        {
            var budget = ThreadBudget.Fixed(threads);
            budget.EnsureStarted();
            var data = new RandomBatchSource(40, 6, trainCount: 1000);
            using var model = new MaskedMlp(40, new NetworkSpec { Hidden = [48, 32], BatchNorm = batchNorm }, 6, 0.99, CPU);
            var generator = new Generator(7);
            model.Initialise(generator);
            var masks = model.LayerWidths.Zip(model.LayerWidths.Skip(1), (inputs, outputs) => rand([outputs, inputs], generator: generator).lt(0.3).to_type(float32)).ToList();
            masks[^1] = ones_like(masks[^1]);
            model.SetMasks(masks);
            var hidden = new PackingSwitch(BackpropStep.HiddenKernelFor(model, budget), packs);
            var layers = BackpropStep.LayerKernels(model, spec, budget, [.. Enumerable.Repeat(KernelKinds.Sparse, model.LayerCount)]);
            using var step = new BackpropStep(model, spec, hidden, layers);
            var batches = new Generator(11);
            model.train();
            for (int i = 0; i < 50; i++)
            {
                using var scope = NewDisposeScope();
                var (images, labels) = data.TrainBatch(spec.BatchSize, batches);
                step.Run(images, labels);
            }

            result = ([.. model.parameters().Select(p => p.detach().data<float>().ToArray())], hidden.PackedPasses);
        });
        return result;
    }
}
