using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Specs;
using Grid.Engine.Tests.Runs.Store;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Runs;

/// <summary>Iterations of several real Fashion-MNIST runs made at once (<see cref="RunExecutor.RunIterations"/>), against
/// the same iterations made one by one.</summary>
public sealed class RunIterationsTests
{
    /// <summary>Bundles of up to 3, trained dense (a bundle trains dense; so does the solo reference).</summary>
    private static ExperimentSpec Spec(long seed, int bundle = 3) => TinyRuns.Spec(seed) with
    {
        Training = TinyRuns.Spec().Training with { Steps = 200, ValidateEvery = 50, Kernel = KernelKinds.Dense, Bundle = bundle },
        Pruning = TinyRuns.Spec().Pruning with { MaxIterations = 1 },
    };

    private static IterationOrder Order(ExperimentSpec spec, string directory, int iteration, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default) =>
        new(spec, directory, iteration, progress, cancellation);

    [Fact]
    public void One_order_makes_the_bits_of_RunIteration_in_place_and_in_the_run_store()
    {
        var spec = TinyRuns.Spec(5); // kernel auto: the cost model's kernels, as alone
        var runs = new StoreRuns();
        string aloneInPlace = TinyRuns.TemporaryDirectory(), orderedInPlace = TinyRuns.TemporaryDirectory();
        var aloneStored = new StoreRuns();
        string aloneLinked = aloneStored.Link(spec), orderedLinked = runs.Link(spec);
        for (int n = 0; n <= spec.Pruning.MaxIterations; n++)
        {
            RunExecutor.RunIteration(spec, aloneInPlace, n, CPU, null, CancellationToken.None);
            RunExecutor.RunIteration(spec, aloneLinked, n, CPU, null, CancellationToken.None);
            foreach (string ordered in new[] { orderedInPlace, orderedLinked })
            {
                var attempt = Assert.Single(RunExecutor.RunIterations([Order(spec, ordered, n)], CPU, null));
                Assert.Null(attempt.Failure);
                Assert.Null(attempt.Value.Bundle);
            }
        }

        foreach (var (alone, ordered) in new[] { (aloneInPlace, orderedInPlace), (aloneLinked, orderedLinked) })
        {
            for (int n = 0; n <= spec.Pruning.MaxIterations; n++)
            {
                string iteration = $"iter-{n:D3}";
                Assert.True(StoreRuns.SameTensors(Path.Combine(alone, iteration, "final.npz"), Path.Combine(ordered, iteration, "final.npz")), $"{iteration} final");
                Assert.True(StoreRuns.SameTensors(Path.Combine(alone, iteration, "mask.npz"), Path.Combine(ordered, iteration, "mask.npz")), $"{iteration} mask");
                Assert.True(StoreRuns.SameBytes(Path.Combine(alone, iteration, "curves.csv"), Path.Combine(ordered, iteration, "curves.csv")), $"{iteration} curves");
            }

            Assert.True(StoreRuns.SameTensors(Path.Combine(alone, "rewind.npz"), Path.Combine(ordered, "rewind.npz")));
            Assert.Equal(
                RunExecutor.FinishedIterations(alone).Select(o => (o.BestValAccuracy, o.IsLast, o.StopReason, o.Kernels!.Count)),
                RunExecutor.FinishedIterations(ordered).Select(o => (o.BestValAccuracy, o.IsLast, o.StopReason, o.Kernels!.Count)));
        }
    }

    [Fact]
    public void Three_stored_runs_train_as_one_bundle_and_each_matches_its_solo_run()
    {
        var bundled = new StoreRuns();
        var solo = new StoreRuns();
        long[] seeds = [1, 2, 3];
        string[] directories = [.. seeds.Select(s => bundled.Link(Spec(s)))];
        string[] references = [.. seeds.Select(s => solo.Link(Spec(s)))];
        for (int n = 0; n <= 1; n++)
        {
            var attempts = RunExecutor.RunIterations([.. seeds.Select((s, k) => Order(Spec(s), directories[k], n))], CPU, null);
            Assert.All(attempts, a => Assert.Equal((3, false), (a.Value.Bundle, a.Value.Reused)));
            Assert.Equal(new[] { n, n, n }, attempts.Select(a => a.Value.Iteration));
            for (int k = 0; k < seeds.Length; k++)
            {
                var alone = RunExecutor.RunIteration(Spec(seeds[k]), references[k], n, CPU, null, CancellationToken.None);
                Assert.Null(alone.Bundle);
                Assert.Equal(alone.BestStep, attempts[k].Value.BestStep);
                Assert.Equal(alone.BestValAccuracy, attempts[k].Value.BestValAccuracy, 1e-6);
            }
        }

        Assert.Equal(3, bundled.Trainings().Count(t => t == ("trunk", 0)));
        Assert.Equal(3, bundled.Trainings().Count(t => t == ("line", 1)));
        for (int k = 0; k < seeds.Length; k++)
        {
            // the files as solo training writes them: the run directory verifies, the masks are the solo run's
            var check = RunIntegrity.Check(directories[k], IntegrityDepth.Full);
            Assert.Equal((2, null), (check.Valid.Count, check.Problem));
            Assert.Equal(3, new RunDirectory(directories[k]).ReadOutcome(1)!.Bundle);
            for (int n = 0; n <= 1; n++)
            {
                Assert.True(StoreRuns.SameTensors(Path.Combine(references[k], $"iter-{n:D3}", "mask.npz"), Path.Combine(directories[k], $"iter-{n:D3}", "mask.npz")), $"run {k} mask {n}");
                AssertClose(Path.Combine(references[k], $"iter-{n:D3}", "final.npz"), Path.Combine(directories[k], $"iter-{n:D3}", "final.npz"));
                Assert.Equal(
                    Curve(Path.Combine(references[k], $"iter-{n:D3}", "curves.csv")).Select(p => p.Step),
                    Curve(Path.Combine(directories[k], $"iter-{n:D3}", "curves.csv")).Select(p => p.Step));
            }
        }
    }

    [Fact]
    public async Task A_member_whose_claim_is_held_elsewhere_is_made_alone_after_the_bundle_not_twice()
    {
        var runs = new StoreRuns();
        string inPlace = TinyRuns.TemporaryDirectory(), held = runs.Link(Spec(2)), stored = runs.Link(Spec(3));
        var heldRun = new StoredRun(runs.Store, StoreLink.Read(held)!);
        var claim = FileClaim.TryAcquire(heldRun.Owner(0).ClaimFile(0), "another holder")!;
        Assert.NotNull(claim);

        var making = Task.Factory.StartNew(
            () => RunExecutor.RunIterations([Order(Spec(1), inPlace, 0), Order(Spec(2), held, 0), Order(Spec(3), stored, 0)], CPU, null),
            TaskCreationOptions.LongRunning);
        Assert.True(SpinWait.SpinUntil(() => File.Exists(new RunDirectory(stored).SummaryFile(0)) || making.IsCompleted, TimeSpan.FromMinutes(5)));
        Assert.False(making.IsCompleted); // waiting for the held claim, the others made
        Assert.True(File.Exists(new RunDirectory(inPlace).SummaryFile(0)));
        Assert.False(File.Exists(heldRun.Trunk.SummaryFile(0)));
        claim.Dispose();

        var attempts = await making.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.Equal([2, null, 2], attempts.Select(a => a.Value.Bundle)); // an in-place and a stored run in one bundle; the held one alone
        Assert.Equal([("trunk", 0), ("trunk", 0)], runs.Trainings()); // two stored trunks, each trained once

        // made again: read back, not trained
        var again = RunExecutor.RunIterations([Order(Spec(1), inPlace, 0), Order(Spec(2), held, 0), Order(Spec(3), stored, 0)], CPU, null);
        Assert.Equal(attempts.Select(a => a.Value.BestValAccuracy), again.Select(a => a.Value.BestValAccuracy));
        Assert.Equal(2, runs.Store.ReadJournal().Count(e => e.Event == StoreEvent.Trained));
    }

    [Fact]
    public void A_member_cancelled_midway_leaves_the_bundle_and_the_others_end_as_alone()
    {
        string[] directories = [TinyRuns.TemporaryDirectory(), TinyRuns.TemporaryDirectory(), TinyRuns.TemporaryDirectory()];
        using var cancel = new CancellationTokenSource();
        var cancelAtStep100 = new Progress(p =>
        {
            if (p.Step >= 100)
            {
                cancel.Cancel();
            }
        });
        var attempts = RunExecutor.RunIterations(
            [Order(Spec(1), directories[0], 0), Order(Spec(2), directories[1], 0, cancelAtStep100, cancel.Token), Order(Spec(3), directories[2], 0)], CPU, null);

        Assert.IsAssignableFrom<OperationCanceledException>(attempts[1].Failure);
        var cancelled = new RunDirectory(directories[1]);
        Assert.False(File.Exists(cancelled.FinalWeightsFile(0)));
        Assert.False(File.Exists(cancelled.SummaryFile(0)));
        using (var released = FileClaim.TryAcquire(cancelled.TrainingClaimFile(0), "test"))
        {
            Assert.NotNull(released);
        }

        foreach (int k in new[] { 0, 2 })
        {
            Assert.Equal(3, attempts[k].Value.Bundle);
            string alone = TinyRuns.TemporaryDirectory();
            var solo = RunExecutor.RunIteration(Spec(k + 1), alone, 0, CPU, null, CancellationToken.None);
            Assert.Equal(solo.BestValAccuracy, attempts[k].Value.BestValAccuracy, 1e-6);
            AssertClose(Path.Combine(alone, "iter-000", "final.npz"), Path.Combine(directories[k], "iter-000", "final.npz"));
        }

        // the cancelled one is made later from scratch, as alone
        var retried = RunExecutor.RunIterations([Order(Spec(2), directories[1], 0)], CPU, null);
        Assert.Null(retried[0].Failure);
    }

    [Fact]
    public void A_member_whose_mask_file_is_corrupt_fails_alone()
    {
        string corrupt = TinyRuns.TemporaryDirectory(), second = TinyRuns.TemporaryDirectory(), third = TinyRuns.TemporaryDirectory();
        RunExecutor.RunIteration(Spec(1), corrupt, 0, CPU, null, CancellationToken.None);
        File.WriteAllText(new RunDirectory(corrupt).MaskFile(1), "not a mask");

        var attempts = RunExecutor.RunIterations([Order(Spec(1), corrupt, 1), Order(Spec(2), second, 0), Order(Spec(3), third, 0)], CPU, null);

        var failure = Assert.IsType<CorruptArtifactException>(attempts[0].Failure);
        Assert.Contains("mask.npz", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(new RunDirectory(corrupt).SummaryFile(1)));
        Assert.Equal([2, 2], attempts.Skip(1).Select(a => a.Value.Bundle));
    }

    [Fact]
    public void Bundle_one_trains_every_member_alone()
    {
        string first = TinyRuns.TemporaryDirectory(), second = TinyRuns.TemporaryDirectory();
        var attempts = RunExecutor.RunIterations([Order(Spec(1, bundle: 1), first, 0), Order(Spec(2, bundle: 1), second, 0)], CPU, null);
        Assert.All(attempts, a => Assert.Null(a.Value.Bundle));
    }

    private static IReadOnlyList<CurvePoint> Curve(string file) =>
        [.. File.ReadAllLines(file).Skip(1).Select(line => line.Split(',')).Select(f => new CurvePoint(int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), 0, 0, 0, double.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture), 0))];

    /// <summary>The same tensors, each within 1e-5 of its largest magnitude.</summary>
    private static void AssertClose(string expectedFile, string actualFile)
    {
        var expected = TensorArchive.Load(expectedFile);
        var actual = TensorArchive.Load(actualFile);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            double difference = (tensor.to_type(float64) - actual[name].to_type(float64)).abs().max().item<double>();
            Assert.True(difference <= 1e-5 * Math.Max(1, tensor.to_type(float64).abs().max().item<double>()), $"{actualFile} {name}: max |difference| {difference:G3}");
        }
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
