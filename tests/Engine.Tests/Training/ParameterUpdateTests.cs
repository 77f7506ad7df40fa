using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Training;

/// <summary>
/// The engine's own SGD and Adam steps (which hold their Scalars, see TorchScalars). SGD gives bit for bit the parameters
/// of TorchSharp's optim.SGD. Adam's CPU pass gives bit for bit libtorch's operations in optim.Adam's order with an IEEE
/// square root (libtorch's own CPU square root, MKL's, is not correctly rounded), so within a few units in the last
/// place of optim.Adam; the same bits on 1 and 2 threads, and pruned weights stay exactly zero.
/// </summary>
public sealed class ParameterUpdateTests
{
    private static readonly NetworkSpec Network = new() { Hidden = [16, 16] };

    [Fact]
    public void Sgd_steps_match_torchsharps_optimiser_exactly()
    {
        using var ours = NewModel();
        using var theirs = NewModel();
        using var update = ParameterUpdate.For(new TrainingSpec { Optimizer = Optimizers.Sgd, LearningRate = 0.1 }, ours);
        using var reference = optim.SGD(theirs.parameters(), 0.1);
        Train(ours, update.ZeroGrad, update.Step);
        Train(theirs, reference.zero_grad, () => reference.step());

        AssertSameBits(ours, theirs, "SGD");
        AssertChanged(ours);
    }

    [Fact]
    public void Adam_steps_match_libtorchs_operations_with_an_exact_square_root_bit_for_bit()
    {
        using var ours = NewModel();
        using var exact = NewModel();
        using var update = ParameterUpdate.For(new TrainingSpec { Optimizer = Optimizers.Adam, LearningRate = 0.01 }, ours);
        using var reference = new ExactSquareRootAdam(exact.parameters(), 0.01);
        Train(ours, update.ZeroGrad, update.Step);
        Train(exact, reference.ZeroGrad, reference.Step);

        AssertSameBits(ours, exact, "Adam");
        AssertChanged(ours);
    }

    /// <summary>One step, where the square roots' roundings are the only difference: over many steps Adam amplifies a
    /// difference in the last place of a weight whose gradient is about zero into a step of either sign.</summary>
    [Fact]
    public void An_adam_step_is_within_float_rounding_of_torchsharps_adam()
    {
        using var ours = NewModel();
        using var theirs = NewModel();
        using var update = ParameterUpdate.For(new TrainingSpec { Optimizer = Optimizers.Adam, LearningRate = 0.01 }, ours);
        using var torchSharps = optim.Adam(theirs.parameters(), 0.01);
        Train(ours, update.ZeroGrad, update.Step, steps: 1);
        Train(theirs, torchSharps.zero_grad, () => torchSharps.step(), steps: 1);

        AssertChanged(ours);
        foreach (var (a, b) in ours.parameters().Zip(theirs.parameters()))
        {
            Assert.True(a.allclose(b, rtol: 1e-6, atol: 0), $"an Adam step differs from optim.Adam's by {(a - b).abs().max().item<float>()}");
        }
    }

    /// <summary>Off the CPU pass (here: gradients that are not contiguous, as a device's would be unreadable) Adam takes
    /// libtorch's operations, and then gives optim.Adam's bits, square root included.</summary>
    [Fact]
    public void Adam_on_libtorchs_operations_matches_torchsharps_adam_exactly()
    {
        using var generator = new Generator(13);
        using var initial = randn([40, 30], generator: generator);
        var ours = new Parameter(initial.clone());
        var theirs = new Parameter(initial.clone());
        using var update = new AdamUpdate([ours], 0.01);
        using var reference = optim.Adam([theirs], 0.01);
        for (int step = 0; step < 5; step++)
        {
            using var transposed = randn([30, 40], generator: generator);
            ours.grad = transposed.t(); // a view, not contiguous: not readable by the CPU pass
            theirs.grad = transposed.t().contiguous();
            update.Step();
            reference.step();
        }

        Assert.False(ours.grad!.is_contiguous());
        Assert.True(ours.equal(theirs).all().item<bool>(), $"differs from optim.Adam by {(ours - theirs).abs().max().item<float>()}");
        Assert.False(ours.equal(initial).all().item<bool>());
    }

    [Fact]
    public void Adam_gives_the_same_bits_on_one_and_two_threads_and_leaves_pruned_weights_zero()
    {
        // enough weights for a parallel loop (below ParallelFrom both counts would run on this thread), in several blocks,
        // and a tail shorter than a vector
        int count = (int)ParallelWork.ParallelFrom + 16_384 + 5;
        using var generator = new Generator(11);
        using var initial = randn(count, generator: generator);
        using var pruned = rand(count, generator: generator).lt(0.3);
        initial.masked_fill_(pruned, 0);
        var results = new List<Tensor>();
        foreach (int threads in new[] { 1, 2 })
        {
            var weights = new Parameter(initial.clone());
            using var update = new AdamUpdate([weights], 0.001, () => threads);
            for (int step = 0; step < 5; step++)
            {
                using var gradients = new Generator((ulong)(20 + step));
                using var gradient = randn(count, generator: gradients);
                weights.grad = gradient.masked_fill(pruned, 0);
                update.Step();
            }

            Assert.Equal(0, weights.masked_select(pruned).abs().sum().item<float>());
            Assert.False(weights.equal(initial).all().item<bool>());
            results.Add(weights);
        }

        Assert.True(results[0].equal(results[1]).all().item<bool>(), "Adam's bits changed with the thread count");
    }

    [Fact]
    public unsafe void A_sparse_layers_adam_gives_the_dense_adams_bits_at_its_unpruned_weights()
    {
        int count = 1000 + 5; // a tail shorter than a vector
        using var generator = new Generator(12);
        // weights as small as the steps (lr 0.001), so that a step rounded differently shows in the weight
        using var initial = randn(count, generator: generator).mul_(1e-3);
        using var kept = rand(count, generator: generator).lt(0.4);
        initial.masked_fill_(kept.logical_not(), 0);
        int[] offsets = [.. kept.nonzero().view(-1).data<long>().Select(o => (int)o)];
        var spec = new TrainingSpec { Optimizer = Optimizers.Adam, LearningRate = 0.001 };
        var dense = new Parameter(initial.clone());
        using var denseUpdate = ParameterUpdate.For(spec, [dense]);
        using var sparse = initial.clone();
        var sparseUpdate = SparseWeightUpdate.For(spec, offsets.Length);
        for (int step = 0; step < 5; step++)
        {
            using var gradients = new Generator((ulong)(30 + step));
            using var gradient = randn(count, generator: gradients).masked_fill_(kept.logical_not(), 0);
            dense.grad = gradient.clone();
            denseUpdate.Step();
            var compact = gradient.masked_select(kept).data<float>().ToArray();
            fixed (float* entries = compact)
            {
                sparseUpdate.Step(TensorMemory.Floats(sparse), offsets, entries, offsets.Length);
            }
        }

        Assert.True(sparse.equal(dense).all().item<bool>(), $"the sparse layer's Adam differs from the dense one's at {sparse.ne(dense).sum().item<long>()} of {offsets.Length} weights");
        Assert.False(sparse.equal(initial).all().item<bool>());
    }

    /// <summary>Batches (the same ones on every call) through the model, each step by its optimiser.</summary>
    private static void Train(MaskedMlp model, Action zeroGrad, Action step, int steps = 20)
    {
        var data = new RandomBatchSource(20, 5);
        using var batches = new Generator(5);
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var (images, labels) = data.TrainBatch(32, batches);
            zeroGrad();
            nn.functional.cross_entropy(model.forward(images), labels).backward();
            step();
        }
    }

    private static void AssertSameBits(MaskedMlp ours, MaskedMlp theirs, string optimiser)
    {
        var expected = theirs.parameters().ToList();
        var actual = ours.parameters().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(actual[i].equal(expected[i]).all().item<bool>(), $"parameter {i} differs after 20 {optimiser} steps");
        }
    }

    private static void AssertChanged(MaskedMlp model)
    {
        using var initial = NewModel();
        Assert.False(initial.parameters().First().equal(model.parameters().First()).all().item<bool>()); // the steps did change the weights
    }

    private static MaskedMlp NewModel()
    {
        var model = new MaskedMlp(20, Network, 5, 0.99, CPU);
        using var generator = new Generator(3);
        model.Initialise(generator);
        model.train();
        return model;
    }

    /// <summary>optim.Adam's operations in its order, the square root taken in float64 and rounded once (IEEE's).</summary>
    private sealed class ExactSquareRootAdam(IEnumerable<Parameter> parameters, double learningRate) : IDisposable
    {
        private readonly Parameter[] _parameters = [.. parameters];
        private readonly List<(Tensor M, Tensor V)> _moments = [.. parameters.Select(p => (zeros_like(p), zeros_like(p)))];
        private long _step;

        public void ZeroGrad()
        {
            foreach (var parameter in _parameters)
            {
                parameter.grad?.zero_();
            }
        }

        public void Step()
        {
            using var _ = no_grad();
            _step++;
            double correction1 = 1 - Math.Pow(0.9, _step), correction2 = 1 - Math.Pow(0.999, _step);
            for (int i = 0; i < _parameters.Length; i++)
            {
                var (m, v) = _moments[i];
                var g = _parameters[i].grad!;
                m.mul_(0.9).add_(g, 1 - 0.9);
                v.mul_(0.999).addcmul_(g, g, 1 - 0.999);
                using var denominator = v.to(float64).sqrt().to(float32).div_(Math.Sqrt(correction2)).add_(1e-8);
                _parameters[i].addcdiv_(m, denominator, -(learningRate / correction1));
            }
        }

        public void Dispose()
        {
            foreach (var (m, v) in _moments)
            {
                m.Dispose();
                v.Dispose();
            }
        }
    }
}
