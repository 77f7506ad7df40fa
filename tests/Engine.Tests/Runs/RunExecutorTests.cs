using Grid.Engine.Runtime;
using Grid.Engine.Data;
using Grid.Engine.Model;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Runs;

public sealed class RunExecutorTests
{
    [Fact]
    public void ImpRunsUntilMaxIterationsWithUHalvingEachIteration()
    {
        string dir = TinyRuns.TemporaryDirectory();
        var outcomes = RunExecutor.RunToEnd(TinyRuns.Spec(), dir, CPU, null, CancellationToken.None);
        Assert.Equal(3, outcomes.Count);
        Assert.True(outcomes[^1].IsLast);
        Assert.Contains("max_iterations", outcomes[^1].StopReason);
        for (int n = 0; n < outcomes.Count; n++)
        {
            Assert.Equal(Math.Pow(0.5, n), outcomes[n].UnprunedFraction, 3);
            Assert.Equal(1.0, outcomes[n].LayerUnprunedFractions[^1]);
            Assert.True(File.Exists(Path.Combine(dir, $"iter-{n:D3}", "final.npz")));
            Assert.True(File.Exists(Path.Combine(dir, $"iter-{n:D3}", "curves.csv")));
        }

        Assert.True(File.Exists(Path.Combine(dir, "rewind.npz")));
        Assert.False(Directory.EnumerateFiles(dir, "*.tmp", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void EachIterationRecordsItsMedianStepWhichLeavesOutValidation()
    {
        string dir = TinyRuns.TemporaryDirectory();
        var spec = TinyRuns.Spec();
        var outcomes = RunExecutor.RunToEnd(spec, dir, CPU, null, CancellationToken.None);

        foreach (var outcome in outcomes)
        {
            Assert.NotNull(outcome.StepMilliseconds);
            Assert.True(outcome.StepMilliseconds > 0, $"median step {outcome.StepMilliseconds} ms");
            // at least half the steps take the median or longer, and they all fit in the iteration's training time
            Assert.True(outcome.StepMilliseconds * spec.Training.Steps / 2 <= outcome.TrainSeconds * 1000,
                $"median step {outcome.StepMilliseconds} ms x {spec.Training.Steps} steps against {outcome.TrainSeconds} s");
            string summary = File.ReadAllText(Path.Combine(dir, $"iter-{outcome.Iteration:D3}", "summary.json"));
            Assert.Contains("\"step_milliseconds\"", summary);
            Assert.Equal(MklKernels.Products, outcome.DenseProducts);
            Assert.StartsWith("MKL, ", outcome.DenseProducts);
            Assert.Contains($"\"dense_products\": \"{outcome.DenseProducts}\"", summary);
        }
    }

    [Fact]
    public void SameSeedGivesSameMasksAndAnotherSeedDoesNot()
    {
        string a = TinyRuns.TemporaryDirectory(), b = TinyRuns.TemporaryDirectory(), c = TinyRuns.TemporaryDirectory();
        var spec = TinyRuns.Spec() with { Pruning = TinyRuns.Spec().Pruning with { MaxIterations = 1 } };
        RunExecutor.RunToEnd(spec, a, CPU, null, CancellationToken.None);
        RunExecutor.RunToEnd(spec, b, CPU, null, CancellationToken.None);
        RunExecutor.RunToEnd(spec with { Seed = 2 }, c, CPU, null, CancellationToken.None);
        Assert.True(MasksEqual(Path.Combine(a, "iter-001", "mask.npz"), Path.Combine(b, "iter-001", "mask.npz")));
        Assert.False(MasksEqual(Path.Combine(a, "iter-001", "mask.npz"), Path.Combine(c, "iter-001", "mask.npz")));
    }

    [Fact]
    public void AnInterruptedRunResumesWithIdenticalMasksAndNeverRetrainsAFinishedIteration()
    {
        var spec = TinyRuns.Spec();
        string reference = TinyRuns.TemporaryDirectory(), interrupted = TinyRuns.TemporaryDirectory();
        RunExecutor.RunToEnd(spec, reference, CPU, null, CancellationToken.None);

        RunExecutor.RunIteration(spec, interrupted, 0, CPU, null, CancellationToken.None);
        var finishedAt = File.GetLastWriteTimeUtc(Path.Combine(interrupted, "iter-000", "final.npz"));
        using var cancel = new CancellationTokenSource();
        var stopMidway = new SynchronousProgress(p => { if (p.Step >= 40) { cancel.Cancel(); } });
        Assert.ThrowsAny<OperationCanceledException>(() => RunExecutor.RunIteration(spec, interrupted, 1, CPU, stopMidway, cancel.Token));
        Assert.False(File.Exists(Path.Combine(interrupted, "iter-001", "summary.json")));

        var resumed = RunExecutor.RunToEnd(spec, interrupted, CPU, null, CancellationToken.None);
        Assert.Equal(3, resumed.Count);
        Assert.Equal(finishedAt, File.GetLastWriteTimeUtc(Path.Combine(interrupted, "iter-000", "final.npz")));
        for (int n = 0; n <= 2; n++)
        {
            Assert.True(MasksEqual(Path.Combine(reference, $"iter-{n:D3}", "mask.npz"), Path.Combine(interrupted, $"iter-{n:D3}", "mask.npz")), $"mask of iteration {n}");
        }
    }

    [Fact]
    public void RewindWeightsAreTheWeightsAfterRewindStepSteps()
    {
        var spec = TinyRuns.Spec() with { Pruning = TinyRuns.Spec().Pruning with { MaxIterations = 1 } };
        string dir = TinyRuns.TemporaryDirectory();
        RunExecutor.RunIteration(spec, dir, 0, CPU, null, CancellationToken.None);

        using var data = ExperimentData.Load(spec, CPU);
        using var model = MaskedMlp.For(spec, data, CPU);
        using var initial = WeightSnapshot.FromTensors(TensorArchive.Load(Path.Combine(dir, "init.npz")));
        initial.Restore(model);
        using var batches = SeedStreams.Generator(spec.Seed, "batches/0");
        var shortRun = spec.Training with { Steps = spec.Pruning.RewindStep, ValidateEvery = spec.Pruning.RewindStep };
        new Trainer(shortRun, data).Train(model, batches, [], null, CancellationToken.None);

        var rewind = TensorArchive.Load(Path.Combine(dir, "rewind.npz"));
        var initialWeights = TensorArchive.Load(Path.Combine(dir, "init.npz"));
        foreach (var (name, tensor) in model.state_dict().Where(e => e.Key.EndsWith("weight", StringComparison.Ordinal)))
        {
            Assert.True(tensor.allclose(rewind[name], rtol: 0, atol: 1e-6), name);
            Assert.False(tensor.allclose(initialWeights[name], rtol: 0, atol: 1e-6), name);
        }
    }

    private static bool MasksEqual(string a, string b)
    {
        var left = TensorArchive.LoadMasks(a);
        var right = TensorArchive.LoadMasks(b);
        return left.Count == right.Count && left.Zip(right).All(pair => pair.First.equal(pair.Second).all().item<bool>());
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts asynchronously).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
