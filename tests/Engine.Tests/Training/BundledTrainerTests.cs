using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using Grid.Engine.Training.Bundles;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

/// <summary>The comparisons with solo training run on one libtorch thread of their own: a member's bits are its solo bits
/// on up to as many threads as the machine has cores (tested for 1 and 2), and within float tolerance beyond.</summary>
public sealed class BundledTrainerTests
{
    /// <summary>Layer 1 (70 outputs) takes the plain products, layers 2 and 3 (12 and 5 outputs) the transposed ones.</summary>
    private static readonly NetworkSpec Network = new() { Hidden = [70, 12] };

    private const int Inputs = 20, Classes = 5;

    private static TrainingSpec Spec(string optimizer, int steps) => new()
    {
        Optimizer = optimizer,
        LearningRate = optimizer == Optimizers.Adam ? 0.01 : 0.1,
        BatchSize = 32,
        Steps = steps,
        ValidateEvery = 10,
        BnDecay = 0.9,
        Kernel = KernelKinds.Dense,
    };

    /// <summary>What makes a run its own: its seed (initial weights and batch stream), its data (labels from its own
    /// teacher) and whether it trains with a pruned mask.</summary>
    private sealed record Run(long Seed, long DataSeed, bool Pruned);

    [Theory]
    [InlineData(Optimizers.Sgd)]
    [InlineData(Optimizers.Adam)]
    public void A_bundle_of_one_trains_the_bits_of_the_solo_trainer(string optimizer) => OwnThread.Run(torchThreads: 1, () =>
    {
        TorchRuntime.EnsureLoaded();
        var spec = Spec(optimizer, steps: 40);
        var run = new Run(Seed: 3, DataSeed: 7, Pruned: true);
        var (soloModel, solo) = TrainSolo(spec, run);
        var (bundled, results) = TrainBundled(spec, [run]);

        Assert.Equal(solo.Curve, results[0].Value.Curve);
        Assert.Equal(solo.BestStep, results[0].Value.BestStep);
        Assert.Equal(solo.FinalTrainLoss, results[0].Value.FinalTrainLoss);
        AssertSameState(soloModel, bundled[0], tolerance: 0);
    });

    [Theory]
    [InlineData(Optimizers.Sgd)]
    [InlineData(Optimizers.Adam)]
    public void Each_member_of_a_bundle_of_three_matches_its_solo_training_over_200_steps(string optimizer) => OwnThread.Run(torchThreads: 1, () =>
    {
        TorchRuntime.EnsureLoaded();
        var spec = Spec(optimizer, steps: 200);
        Run[] runs = [new(Seed: 1, DataSeed: 7, Pruned: false), new(Seed: 2, DataSeed: 8, Pruned: true), new(Seed: 3, DataSeed: 9, Pruned: false)];
        var (bundled, results) = TrainBundled(spec, runs);
        for (int k = 0; k < runs.Length; k++)
        {
            var (soloModel, solo) = TrainSolo(spec, runs[k]);
            var member = results[k].Value;
            Assert.Equal(solo.Curve.Select(p => p.Step), member.Curve.Select(p => p.Step));
            for (int i = 0; i < solo.Curve.Count; i++)
            {
                Assert.Equal(solo.Curve[i].ValAccuracy, member.Curve[i].ValAccuracy, 1e-9);
                Assert.Equal(solo.Curve[i].TrainLoss, member.Curve[i].TrainLoss, 1e-4);
            }

            Assert.Equal(solo.BestValAccuracy, member.BestValAccuracy);
            AssertSameState(soloModel, bundled[k], tolerance: 1e-5);
        }

        // the members trained apart: different seeds and data give different networks
        Assert.NotEqual(results[0].Value.Curve.Select(p => p.TrainLoss), results[2].Value.Curve.Select(p => p.TrainLoss));
    });

    [Fact]
    public void Pruned_weights_stay_exactly_zero_in_the_bundle()
    {
        TorchRuntime.EnsureLoaded();
        var (bundled, _) = TrainBundled(Spec(Optimizers.Adam, steps: 30), [new(1, 7, Pruned: true), new(2, 8, Pruned: false), new(3, 9, Pruned: true)]);
        foreach (var model in new[] { bundled[0], bundled[2] })
        {
            for (int l = 0; l < model.LayerCount; l++)
            {
                var pruned = model.Mask(l).eq(0);
                Assert.True(pruned.any().item<bool>() || l == model.LayerCount - 1, $"layer {l + 1} has pruned weights");
                Assert.Equal(0, model.Linear(l).weight!.masked_select(pruned).abs().sum().item<float>());
            }
        }

        Assert.True(bundled[1].Linear(0).weight!.ne(0).all().item<bool>(), "the dense member's weights are all trained");
    }

    [Fact]
    public void A_bundle_trains_the_same_bits_on_one_thread_and_on_two()
    {
        TorchRuntime.EnsureLoaded();
        var one = WeightsTrainedOnThreads(1);
        var two = WeightsTrainedOnThreads(2);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(one[i].SequenceEqual(two[i]), $"tensor {i} differs between 1 and 2 threads");
        }
    }

    [Fact]
    public void Layers_with_large_products_train_member_by_member_with_the_solo_results() => OwnThread.Run(torchThreads: 1, () =>
    {
        TorchRuntime.EnsureLoaded();
        var network = new NetworkSpec { Hidden = [512, 256] };
        const int batch = 512;
        Assert.True(256L * 512 * batch >= BundledLinear.BatchedBelow, "layer 2 takes one product per member");
        Assert.True(512L * 64 * batch < BundledLinear.BatchedBelow, "layer 1 takes one batched product");
        var spec = new TrainingSpec { BatchSize = batch, Steps = 6, ValidateEvery = 3, LearningRate = 0.05, Kernel = KernelKinds.Dense };
        MaskedMlp NewModel(long seed)
        {
            var model = new MaskedMlp(64, network, 10, 0.99, CPU);
            using var generator = new Generator((ulong)seed);
            model.Initialise(generator);
            return model;
        }

        long[] seeds = [1, 2];
        var bundled = seeds.Select(NewModel).ToArray();
        var generators = seeds.Select(seed => new Generator((ulong)(100 + seed))).ToArray();
        var results = new BundledTrainer().Train(
            [.. seeds.Select((seed, k) => new BundleMember(spec, new RandomBatchSource(64, 10, trainCount: 2048, seed: seed), bundled[k], generators[k], [], null))],
            CancellationToken.None);
        for (int k = 0; k < seeds.Length; k++)
        {
            using var solo = NewModel(seeds[k]);
            using var batches = new Generator((ulong)(100 + seeds[k]));
            var alone = new Trainer(spec, new RandomBatchSource(64, 10, trainCount: 2048, seed: seeds[k])).Train(solo, batches, [], null, CancellationToken.None);
            Assert.Equal(alone.Curve.Select(p => p.ValAccuracy), results[k].Value.Curve.Select(p => p.ValAccuracy));
            AssertSameState(solo, bundled[k], tolerance: 1e-5);
        }
    });

    [Fact]
    public void A_cancelled_bundle_stops_at_the_next_step()
    {
        TorchRuntime.EnsureLoaded();
        var spec = Spec(Optimizers.Sgd, steps: 200);
        using var cancel = new CancellationTokenSource();
        var reported = new List<int>();
        Run[] runs = [new(1, 7, false), new(2, 8, false)];
        var models = runs.Select(Model).ToArray();
        var generators = runs.Select(r => new Generator((ulong)(100 + r.Seed))).ToArray();
        var members = runs.Select((r, k) => new BundleMember(spec, Data(r), models[k], generators[k], [], point =>
        {
            reported.Add(point.Step);
            if (point.Step == 20)
            {
                cancel.Cancel();
            }
        })).ToList();

        Assert.ThrowsAny<OperationCanceledException>(() => new BundledTrainer().Train(members, cancel.Token));
        Assert.Equal([10, 10, 20, 20], reported);
    }

    [Fact]
    public void A_member_whose_loss_diverges_fails_alone() => OwnThread.Run(torchThreads: 1, () =>
    {
        TorchRuntime.EnsureLoaded();
        var spec = Spec(Optimizers.Sgd, steps: 30);
        var healthy = new Run(1, 7, Pruned: false);
        using var broken = Model(new Run(2, 8, false));
        using var model = Model(healthy);
        using var healthyBatches = new Generator(101);
        using var brokenBatches = new Generator(102);
        var results = new BundledTrainer().Train(
        [
            new BundleMember(spec, Data(healthy), model, healthyBatches, [], null),
            new BundleMember(spec, new PoisonedBatchSource(Data(healthy)), broken, brokenBatches, [], null),
        ], CancellationToken.None);

        var failure = Assert.IsType<TrainingDivergedException>(results[1].Failure);
        Assert.Equal(10, failure.Step);
        var (soloModel, solo) = TrainSolo(spec, healthy);
        Assert.Equal(solo.Curve, results[0].Value.Curve);
        AssertSameState(soloModel, model, tolerance: 1e-5);
    });

    [Fact]
    public void Members_that_cannot_train_in_lockstep_are_rejected_with_the_field_that_differs()
    {
        TorchRuntime.EnsureLoaded();
        var spec = Spec(Optimizers.Sgd, steps: 10);
        var run = new Run(1, 7, false);
        using var a = Model(run);
        using var b = Model(run);
        using var wide = new MaskedMlp(Inputs, new NetworkSpec { Hidden = [71, 12] }, Classes, 0.9, CPU);
        using var generator = new Generator(1);
        BundleMember Member(MaskedMlp model, TrainingSpec memberSpec) => new(memberSpec, Data(run), model, generator, [], null);

        foreach (var (other, field) in new (TrainingSpec, string)[]
        {
            (spec with { BatchSize = 16 }, "training.batch_size"),
            (spec with { Steps = 11 }, "training.steps"),
            (spec with { ValidateEvery = 5 }, "training.validate_every"),
            (spec with { Optimizer = Optimizers.Adam }, "training.optimizer"),
            (spec with { LearningRate = 0.2 }, "training.learning_rate"),
            (spec with { BnDecay = 0.5 }, "training.bn_decay"),
        })
        {
            var error = Assert.Throws<ArgumentException>(() => new BundledTrainer().Train([Member(a, spec), Member(b, other)], CancellationToken.None));
            Assert.Contains($"bundle member 1: {field}", error.Message);
        }

        var widths = Assert.Throws<ArgumentException>(() => new BundledTrainer().Train([Member(a, spec), Member(wide, spec)], CancellationToken.None));
        Assert.Contains("layer widths 20-71-12-5, member 0 20-70-12-5", widths.Message);
        var same = Assert.Throws<ArgumentException>(() => new BundledTrainer().Train([Member(a, spec), Member(a, spec)], CancellationToken.None));
        Assert.Contains("same network", same.Message);
        Assert.Throws<ArgumentException>(() => new BundledTrainer().Train([], CancellationToken.None));
    }

    private static (MaskedMlp Model, TrainingResult Result) TrainSolo(TrainingSpec spec, Run run)
    {
        var model = Model(run);
        using var batches = new Generator((ulong)(100 + run.Seed));
        return (model, new Trainer(spec, Data(run)).Train(model, batches, [], null, CancellationToken.None));
    }

    private static (MaskedMlp[] Models, IReadOnlyList<MemberResult> Results) TrainBundled(TrainingSpec spec, IReadOnlyList<Run> runs)
    {
        var models = runs.Select(Model).ToArray();
        var generators = runs.Select(r => new Generator((ulong)(100 + r.Seed))).ToArray();
        var members = runs.Select((r, k) => new BundleMember(spec, Data(r), models[k], generators[k], [], null)).ToList();
        var results = new BundledTrainer().Train(members, CancellationToken.None);
        foreach (var generator in generators)
        {
            generator.Dispose();
        }

        return (models, results);
    }

    private static MaskedMlp Model(Run run)
    {
        var model = new MaskedMlp(Inputs, Network, Classes, 0.9, CPU);
        using var generator = new Generator((ulong)run.Seed);
        model.Initialise(generator);
        if (run.Pruned)
        {
            // keep 40 % of each prunable layer's weights, at random: a mask as a pruned iteration trains with
            model.SetMasks([.. Enumerable.Range(0, model.LayerCount).Select(l => model.PruneFlags[l]
                ? rand(model.Mask(l).shape, generator: generator).lt(0.4).to_type(float32)
                : ones(model.Mask(l).shape))]);
        }

        return model;
    }

    private static RandomBatchSource Data(Run run) => new(Inputs, Classes, seed: run.DataSeed);

    private static float[][] WeightsTrainedOnThreads(int threads)
    {
        float[][] result = [];
        OwnThread.Run(() =>
        {
            var budget = ThreadBudget.Fixed(threads);
            budget.EnsureStarted();
            Run[] runs = [new(1, 7, false), new(2, 8, true)];
            var models = runs.Select(r => new MaskedMlp(64, new NetworkSpec { Hidden = [256, 256] }, 10, 0.99, CPU)).ToArray();
            var generators = runs.Select(r => new Generator((ulong)r.Seed)).ToArray();
            for (int k = 0; k < runs.Length; k++)
            {
                models[k].Initialise(generators[k]);
            }

            var spec = new TrainingSpec { BatchSize = 500, Steps = 20, ValidateEvery = 20, LearningRate = 0.1 };
            var members = runs.Select((r, k) => new BundleMember(spec, new RandomBatchSource(64, 10, trainCount: 2000, seed: r.DataSeed), models[k], generators[k], [], null)).ToList();
            new BundledTrainer(budget).Train(members, CancellationToken.None);
            result = [.. models.SelectMany(m => m.state_dict().Values.Select(t => t.to_type(float32).data<float>().ToArray()))];
        });
        return result;
    }

    /// <summary>Every parameter and buffer (the state a run's final.npz holds) equal, or within <paramref name="tolerance"/>
    /// of the largest magnitude.</summary>
    private static void AssertSameState(MaskedMlp expected, MaskedMlp actual, double tolerance)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, tensor) in a)
        {
            var other = b[name];
            Assert.Equal(tensor.shape, other.shape);
            if (tolerance == 0)
            {
                Assert.True(tensor.eq(other).all().item<bool>(), $"{name} differs");
                continue;
            }

            double difference = (tensor.to_type(float64) - other.to_type(float64)).abs().max().item<double>();
            double scale = Math.Max(1, tensor.to_type(float64).abs().max().item<double>());
            Assert.True(difference <= tolerance * scale, $"{name}: max |difference| {difference:G3}");
        }
    }

    /// <summary>A member's data gone bad: its training images are NaN, so its loss is NaN from the first step.</summary>
    private sealed class PoisonedBatchSource(IBatchSource inner) : IBatchSource
    {
        public int Inputs => inner.Inputs;
        public int Classes => inner.Classes;

        public (Tensor Images, Tensor Labels) TrainBatch(int batchSize, Generator generator)
        {
            var (images, labels) = inner.TrainBatch(batchSize, generator);
            return (full_like(images, double.NaN), labels);
        }

        public IEnumerable<(Tensor Images, Tensor Labels)> ValidationBatches(int batchSize) => inner.ValidationBatches(batchSize);
    }
}
