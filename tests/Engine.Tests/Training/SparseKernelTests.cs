using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class SparseKernelTests
{
    [Fact]
    public void The_layout_lists_each_unpruned_weight_by_row_and_by_column()
    {
        float[] mask =
        [
            1, 0, 1,
            0, 0, 0,
            0, 1, 1,
        ];

        var layout = SparseLayout.FromMask(mask, 3, 3);

        Assert.Equal(4, layout.Count);
        Assert.Equal([0, 2, 2, 4], layout.RowStarts);
        Assert.Equal([0, 2, 1, 2], layout.RowInputs);
        Assert.Equal([0, 1, 2, 4], layout.ColumnStarts);
        Assert.Equal([0, 2, 0, 2], layout.ColumnOutputs);
        Assert.Equal([0, 2, 1, 3], layout.ColumnEntries);
    }

    [Theory]
    [InlineData(100, 0.05)]
    [InlineData(60, 0.3)]
    [InlineData(37, 0.01)] // a batch that is not a multiple of the vector width
    [InlineData(130, 1.0)] // an unpruned layer (the output layer with few classes takes this kernel when it is faster)
    public void The_sparse_products_match_the_dense_masked_ones(int batch, double density)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(2);
        var linear = nn.Linear(70, 50);
        var mask = rand([50, 70], generator: generator).lt(density).to_type(float32);
        using (no_grad())
        {
            linear.weight!.mul_(mask);
        }

        var inputT = randn([70, batch], generator: generator);
        var gradientT = randn([50, batch], generator: generator);
        using var dense = new DenseLinearKernel(linear, mask);
        using var sparse = new SparseLinearKernel(linear, mask, new TrainingSpec(), () => 2);

        AssertClose(dense.Forward(inputT), sparse.Forward(inputT), 1e-5);
        var denseInput = dense.Backward(gradientT, inputT, inputGradient: true)!;
        var denseWeight = linear.weight!.grad!.clone();
        var denseBias = linear.bias!.grad!.clone();
        var sparseInput = sparse.Backward(gradientT, inputT, inputGradient: true)!;

        AssertClose(denseInput, sparseInput, 1e-5);
        AssertClose(denseWeight, sparse.DenseWeightGradient(), 1e-5);
        AssertClose(denseBias, linear.bias!.grad!, 0);
        Assert.Equal(0, sparse.DenseWeightGradient().masked_select(mask.eq(0)).abs().sum().item<float>());
    }

    [Fact]
    public unsafe void A_wide_layers_weight_gradient_is_walked_by_input_with_the_bits_of_the_walk_by_output()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(4);
        const int outputs = 40, inputs = 2500, batch = 150; // a chunk of 2500 input rows exceeds the walk's cache budget
        var linear = nn.Linear(inputs, outputs);
        var mask = rand([outputs, inputs], generator: generator).lt(0.05).to_type(float32);
        using (no_grad())
        {
            linear.weight!.mul_(mask);
        }

        var inputT = randn([inputs, batch], generator: generator);
        var gradientT = randn([outputs, batch], generator: generator);
        using var dense = new DenseLinearKernel(linear, mask);
        using var sparse = new SparseLinearKernel(linear, mask, new TrainingSpec(), () => 2);
        dense.Backward(gradientT, inputT, inputGradient: false);
        var denseWeight = linear.weight!.grad!.clone();
        sparse.Forward(inputT);
        sparse.Backward(gradientT, inputT, inputGradient: false);
        AssertClose(denseWeight, sparse.DenseWeightGradient(), 1e-5);

        var layout = SparseLayout.FromMask(mask.data<float>().ToArray(), outputs, inputs);
        using var packedInput = new PackedRows();
        using var packedGradient = new PackedRows();
        packedInput.FillRows(TensorMemory.Floats(inputT), inputs, batch, 2);
        packedGradient.FillRows(TensorMemory.Floats(gradientT), outputs, batch, 2);
        float[] byInput = new float[layout.Count], byOutput = new float[layout.Count], scratch = new float[layout.Count];
        fixed (float* a = byInput, b = byOutput)
        {
            SparseLinearKernel.WeightGradient(layout, batch, packedGradient, packedInput, a, scratch, threads: 2, byInput: true);
            SparseLinearKernel.WeightGradient(layout, batch, packedGradient, packedInput, b, scratch, threads: 1, byInput: false);
        }

        Assert.True(SparseLinearKernel.WalksByInput(layout), "the kernel's own gradient above walked by input");
        Assert.True(layout.Count > 1000, $"{layout.Count} unpruned weights");
        Assert.Equal(byOutput, byInput);
    }

    [Fact]
    public void The_sparse_products_give_the_same_bits_with_one_thread_and_with_three()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var linear = nn.Linear(300, 200);
        var mask = rand([200, 300], generator: generator).lt(0.2).to_type(float32);
        var inputT = randn([300, 1000], generator: generator);
        var gradientT = randn([200, 1000], generator: generator);
        using var one = new SparseLinearKernel(linear, mask, new TrainingSpec(), () => 1);
        using var three = new SparseLinearKernel(linear, mask, new TrainingSpec(), () => 3);

        Assert.True(one.Forward(inputT).eq(three.Forward(inputT)).all().item<bool>());
        Assert.True(one.Backward(gradientT, inputT, true)!.eq(three.Backward(gradientT, inputT, true)!).all().item<bool>());
        Assert.True(one.DenseWeightGradient().eq(three.DenseWeightGradient()).all().item<bool>());
    }

    [Theory]
    [InlineData("sgd", true)]
    [InlineData("adam", false)]
    [InlineData("sgd", true, true)]
    public void Two_hundred_steps_of_sparse_training_match_dense_masked_training_and_keep_pruned_weights_zero(string optimizer, bool batchNorm, bool outputLayerToo = false)
    {
        TorchRuntime.EnsureLoaded();
        var spec = new TrainingSpec { Optimizer = optimizer, LearningRate = optimizer == "sgd" ? 0.1 : 0.001, BatchSize = 64 };
        var dense = TrainWith(spec, batchNorm, KernelKinds.Dense);
        var sparse = TrainWith(spec, batchNorm, KernelKinds.Sparse, outputLayerToo);

        for (int l = 0; l < dense.Weights.Length; l++)
        {
            AssertClose(dense.Weights[l], sparse.Weights[l], 2e-3);
            Assert.Equal(0, sparse.Weights[l].masked_select(sparse.Masks[l].eq(0)).abs().sum().item<float>());
            Assert.Equal(0, dense.Weights[l].masked_select(dense.Masks[l].eq(0)).abs().sum().item<float>());
        }

        Assert.Equal(dense.Loss, sparse.Loss, 2);
    }

    /// <summary>A sparse first layer packs a drawn batch straight from the dataset's bytes: the bits of packing the
    /// batch's image tensor, step after step (the second run draws the images as a tensor first).</summary>
    [Fact]
    public void A_batch_packed_from_the_datasets_bytes_trains_the_bits_of_its_image_tensor()
    {
        TorchRuntime.EnsureLoaded();
        var random = new Random(5);
        var shape = new Grid.Engine.Data.ImageShape(1, 6, 7); // 42 pixels: a tail past the blocks of eight
        var pixels = new byte[500 * shape.Features];
        random.NextBytes(pixels);
        var train = new Grid.Engine.Data.ImageDataset(shape, pixels, [.. Enumerable.Range(0, 500).Select(_ => random.Next(6))], 6, "random");
        var split = new Grid.Engine.Data.DatasetSplit(train, train.Take(50), train.PixelMean());

        float[][] Train(bool fromBytes)
        {
            using var data = new DatasetBatchSource(split, CPU, transform: null);
            using var model = new MaskedMlp(shape.Features, new NetworkSpec { Hidden = [48, 32] }, 6, 0.99, CPU);
            var generator = new Generator(7);
            model.Initialise(generator);
            model.SetMasks([.. model.LayerWidths.Zip(model.LayerWidths.Skip(1), (inputs, outputs) => rand([outputs, inputs], generator: generator).lt(0.3).to_type(float32))]);
            var spec = new TrainingSpec { LearningRate = 0.1, BatchSize = 75 }; // a last chunk of 11 columns
            using var step = BackpropStep.Create(model, spec, ThreadBudget.Fixed(2), [KernelKinds.Sparse, KernelKinds.Sparse, KernelKinds.Dense]);
            var batches = new Generator(11);
            model.train();
            for (int i = 0; i < 20; i++)
            {
                using var scope = NewDisposeScope();
                var batch = data.DrawTrainBatch(spec.BatchSize, batches);
                Assert.True(batch.Packable);
                step.Run(fromBytes ? batch : DrawnBatch.Of(batch.Images, batch.Labels));
            }

            return [.. model.parameters().Select(p => p.detach().data<float>().ToArray())];
        }

        var fromBytes = Train(fromBytes: true);
        var fromTensor = Train(fromBytes: false);

        Assert.Equal(fromTensor.Length, fromBytes.Length);
        for (int i = 0; i < fromBytes.Length; i++)
        {
            Assert.True(fromTensor[i].SequenceEqual(fromBytes[i]), $"parameter {i} differs");
        }
    }

    private static (Tensor[] Weights, Tensor[] Masks, float Loss) TrainWith(TrainingSpec spec, bool batchNorm, string kernel, bool outputLayerToo = false)
    {
        var data = new RandomBatchSource(40, 6, trainCount: 1000);
        var model = new MaskedMlp(40, new NetworkSpec { Hidden = [48, 32], BatchNorm = batchNorm }, 6, 0.99, CPU);
        var generator = new Generator(7);
        model.Initialise(generator);
        var masks = model.LayerWidths.Zip(model.LayerWidths.Skip(1), (inputs, outputs) => rand([outputs, inputs], generator: generator).lt(0.3).to_type(float32)).ToList();
        masks[^1] = ones_like(masks[^1]); // the output layer is not pruned
        model.SetMasks(masks);
        string[] kinds = [.. model.PruneFlags.Select(prunable => prunable || outputLayerToo ? kernel : KernelKinds.Dense)];
        using var step = BackpropStep.Create(model, spec, ThreadBudget.Fixed(2), kinds);
        float loss = 0;
        var batches = new Generator(11);
        model.train();
        for (int i = 0; i < 200; i++)
        {
            using var scope = NewDisposeScope();
            var (images, labels) = data.TrainBatch(spec.BatchSize, batches);
            loss = step.Run(images, labels).Loss.item<float>();
        }

        return ([.. Enumerable.Range(0, model.LayerCount).Select(l => model.Linear(l).weight!.detach().clone())], [.. masks], loss);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= tolerance * Math.Max(1, expected.abs().max().item<float>()), $"max |difference| {difference:G3}");
    }
}
