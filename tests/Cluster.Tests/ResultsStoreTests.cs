using System.Diagnostics;
using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using Grid.Grains.Persistence;
using Grid.Grains.Training;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grid.Cluster.Tests;

/// <summary>
/// The shared results store under concurrent writers: what several silos (or duplicate activations during a
/// failover) may do at once must never tear or duplicate an artifact.
/// </summary>
public sealed class ResultsStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "grid-cluster-tests", "store-" + Guid.NewGuid().ToString("N")[..12]);

    public ResultsStoreTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Coordinators_regenerating_summary_csv_at_once_never_show_a_reader_a_torn_file()
    {
        var store = new SweepStore(_root);
        var manifest = new SweepManifest { Hash = "0123456789abcdef", Name = "race", Directory = "race-0123456789abcdef" };
        // Each writer's tables are whole and recognisable: a torn read would mix two of them or cut one short.
        string Table(int writer, int version) => string.Concat(Enumerable.Range(0, 2000).Select(row => $"{writer},{version},{row},{new string((char)('a' + writer), 40)}\n"));
        var written = new HashSet<string>();
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
        {
            for (int version = 0; version < 40; version++)
            {
                string table = Table(writer, version);
                lock (written)
                {
                    written.Add(table);
                }

                store.WriteSummary(manifest, table, table);
            }
        })).ToArray();
        int reads = 0;
        var problems = new List<string>();
        while (!writers.All(w => w.IsCompleted))
        {
            if (store.ReadTable(manifest) is { } seen)
            {
                reads++;
                bool known;
                lock (written)
                {
                    known = written.Contains(seen);
                }

                if (!known)
                {
                    problems.Add($"read {seen.Length} chars that no writer wrote whole");
                }
            }
        }

        await Task.WhenAll(writers);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(5)));
        Assert.True(reads > 0);
        Assert.Contains(store.ReadTable(manifest)!, written);
        Assert.Empty(Directory.EnumerateFiles(store.SweepPath(manifest), "*.tmp"));
        Assert.Empty(Directory.EnumerateFiles(store.SweepPath(manifest), ".*"));
    }

    [Fact]
    public void An_iteration_claim_excludes_a_second_claim_until_released()
    {
        using (var first = IterationClaim.TryAcquire(_root, 3, "first"))
        {
            Assert.NotNull(first);
            Assert.Null(IterationClaim.TryAcquire(_root, 3, "second"));
            using var other = IterationClaim.TryAcquire(_root, 4, "other iteration");
            Assert.NotNull(other);
        }

        using var again = IterationClaim.TryAcquire(_root, 3, "after release");
        Assert.NotNull(again);
    }

    [Fact]
    public void A_claim_held_by_a_process_that_is_killed_is_free_at_once()
    {
        // flock(1) takes the same kind of lock .NET takes for FileShare.None (--close: only flock itself holds it, not
        // its child); SIGKILL gives the kernel's answer.
        string path = IterationClaim.LockPath(_root, 7);
        File.WriteAllText(path, "");
        var start = new ProcessStartInfo("flock") { UseShellExecute = false };
        foreach (string argument in new[] { "--exclusive", "--close", path, "sleep", "600" })
        {
            start.ArgumentList.Add(argument);
        }

        using var holder = Process.Start(start)!;
        var deadline = DateTime.UtcNow + ProgressWait.EventBound;
        while (DateTime.UtcNow < deadline && IterationClaim.TryAcquire(_root, 7, "probe") is { } early)
        {
            early.Dispose(); // flock has not taken it yet
            Thread.Sleep(20);
        }

        Assert.Null(IterationClaim.TryAcquire(_root, 7, "while held"));
        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();
        using var claim = IterationClaim.TryAcquire(_root, 7, "after kill -9");
        Assert.NotNull(claim);
    }

    [Fact]
    public async Task A_second_trainer_of_an_iteration_waits_and_returns_the_stored_outcome_instead_of_training()
    {
        string run = Path.Combine(_root, "runs", "r1");
        var inner = new SlowTrainer();
        var first = new ExclusiveIterationTrainer(inner, "silo A", NullLogger<ExclusiveIterationTrainer>.Instance);
        var second = new ExclusiveIterationTrainer(inner, "silo B", NullLogger<ExclusiveIterationTrainer>.Instance);
        var spec = new ExperimentSpec();
        var progress = new Progress<TrainingProgress>();
        using var slot = new TrainingSlot(0, "cpu", ThreadBudget.Fixed(1));

        var a = Task.Run(() => first.Train(spec, run, 0, slot, progress, CancellationToken.None));
        await inner.Started.Task.WaitAsync(ProgressWait.EventBound);
        var b = Task.Run(() => second.Train(spec, run, 0, slot, progress, CancellationToken.None));
        await Task.Delay(300);
        Assert.False(b.IsCompleted); // waiting for the claim, not training
        inner.Release.SetResult();

        var outcomes = await Task.WhenAll(a, b);
        Assert.Equal(1, inner.Trainings);
        Assert.Equal(outcomes[0], outcomes[1]);
    }

    [Fact]
    public async Task A_bundle_waits_for_a_member_another_trainer_holds_reads_it_back_and_trains_only_the_rest()
    {
        string r1 = Path.Combine(_root, "runs", "r1"), r2 = Path.Combine(_root, "runs", "r2");
        var inner = new BundleStore();
        var first = new ExclusiveIterationTrainer(inner, "silo A", NullLogger<ExclusiveIterationTrainer>.Instance);
        var second = new ExclusiveIterationTrainer(inner, "silo B", NullLogger<ExclusiveIterationTrainer>.Instance);
        var spec = new ExperimentSpec();
        using var slot = new TrainingSlot(0, "cpu", ThreadBudget.Fixed(1));
        IterationOrder Order(string run) => new(spec, run, 0, null, CancellationToken.None);

        var alone = Task.Run(() => first.TrainBundle([Order(r1)], slot));
        await inner.Started.Task.WaitAsync(ProgressWait.EventBound);
        var bundle = Task.Run(() => second.TrainBundle([Order(r2), Order(r1)], slot));
        await Task.Delay(300);
        Assert.False(bundle.IsCompleted); // waiting for r1's claim before training anything
        inner.Release.SetResult();

        var soloAttempts = await alone;
        var bundleAttempts = await bundle;
        Assert.Equal([[r1], [r2]], inner.Bundles); // r1 trained once; the bundle trained r2 alone
        Assert.Equal(soloAttempts[0].Outcome, bundleAttempts[1].Outcome); // r1 read back, in the order it was asked for
        Assert.Equal(r2, inner.TrainedBy(bundleAttempts[0].Outcome!));
    }

    /// <summary>Trains bundles (the first blocks until released) and "writes" each outcome that ReadFinished then returns.</summary>
    private sealed class BundleStore : IIterationTrainer
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IterationOutcome> _stored = new();

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<string[]> Bundles { get; } = new();

        public string TrainedBy(IterationOutcome outcome) => _stored.Single(s => ReferenceEquals(s.Value, outcome)).Key;

        public IterationOutcome? ReadFinished(string runDirectory, int iteration) => _stored.GetValueOrDefault(runDirectory);

        public string BundleKey(ExperimentSpec spec) => "store";

        public int BundleMembers(ExperimentSpec spec, TrainingSlot slot) => 2;

        public IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot)
        {
            Bundles.Enqueue([.. orders.Select(o => o.RunDirectory)]);
            Started.TrySetResult();
            Release.Task.Wait();
            return [.. orders.Select(order =>
            {
                var outcome = new IterationOutcome
                {
                    Iteration = order.Iteration, UnprunedFraction = 1, LayerUnprunedFractions = [1], BestValAccuracy = 0.5, BestValTop5 = 0.9,
                    BestStep = 10, FinalTrainLoss = 0.1, TrainSeconds = 1, IsLast = true,
                };
                _stored[order.RunDirectory] = outcome;
                return new IterationAttempt(outcome, null);
            })];
        }
    }

    /// <summary>Trains (blocking until released) and "writes" the outcome that ReadFinished then returns.</summary>
    private sealed class SlowTrainer : IIterationTrainer
    {
        private IterationOutcome? _stored;
        private int _trainings;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Trainings => Volatile.Read(ref _trainings);

        public IterationOutcome? ReadFinished(string runDirectory, int iteration) => Volatile.Read(ref _stored);

        public string BundleKey(ExperimentSpec spec) => "slow";

        public int BundleMembers(ExperimentSpec spec, TrainingSlot slot) => 1;

        public IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot) =>
            [.. orders.Select(order => new IterationAttempt(Train(order.RunDirectory, order.Iteration, order.Cancellation), null))];

        private IterationOutcome Train(string runDirectory, int iteration, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _trainings);
            Started.TrySetResult();
            Release.Task.Wait(cancellationToken);
            var outcome = new IterationOutcome
            {
                Iteration = iteration, UnprunedFraction = 1, LayerUnprunedFractions = [1], BestValAccuracy = 0.5, BestValTop5 = 0.9,
                BestStep = 10, FinalTrainLoss = 0.1, TrainSeconds = 1, IsLast = true,
            };
            Volatile.Write(ref _stored, outcome);
            return outcome;
        }
    }
}
