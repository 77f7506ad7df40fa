using Grid.Client.Specs;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>
/// A silo's training worker trains queued iterations of one shape as bundles on its slots (the simulated trainer
/// bundles up to GridTest:BundleMembers); each member keeps its own progress, cancellation and outcome.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BundleTests
{
    /// <summary>The gather window of these tests: only an upper bound, bundles fill by count long before it ends.</summary>
    private const string LongGather = "120000";

    /// <summary>For tests that end with one iteration alone (its partner cancelled or failed), which waits the whole
    /// window: still far longer than two runs of one sweep take to ask for their iterations on a busy machine.</summary>
    private const string ShortGather = "10000";

    private static Task<GridCluster> StartAsync(int members, string gather, params int[] slots) =>
        GridCluster.StartAsync("simulated", 100, new Dictionary<string, string?>
        {
            ["GridTest:BundleMembers"] = members.ToString(),
            ["GridTest:Grid:BundleGatherMilliseconds"] = gather,
        }, slots);

    /// <summary>A simulated sweep of two iterations per seed whose spec sets <c>training.bundle</c> (4 unless given), which
    /// placement reads from the request, before any silo has queued the shape.</summary>
    private static async Task<(ISweepGrain Coordinator, string Directory)> SubmitWithBundlesAsync(GridCluster grid, string name, int millisecondsPerIteration, string seeds, string bundle = "4")
    {
        string yaml = TestSweeps.Simulated(name, iterations: 2, millisecondsPerIteration, seeds, fractions: "[1]")
            .Replace("validate_every: 10", $"validate_every: 10\n    bundle: {bundle}", StringComparison.Ordinal);
        var (coordinator, submitted, _) = await grid.SubmitAsync(yaml);
        return (coordinator, submitted.Sweep!.Directory);
    }

    [Fact]
    public async Task Four_seeds_on_two_slots_with_bundles_of_two_train_every_iteration_once_in_two_bundles_of_two()
    {
        await using var grid = await StartAsync(members: 2, LongGather, 2);
        var (coordinator, submitted, _) = await grid.SubmitAsync(TestSweeps.Simulated("bundles-of-two", iterations: 3, millisecondsPerIteration: 200, seeds: "[0, 1, 2, 3]", fractions: "[1]"));
        string directory = submitted.Sweep!.Directory;

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        var bundles = SimulatedTrainer.BundlesOf(directory);
        Assert.All(bundles, b => Assert.Equal(2, b.Count));
        Assert.Equal(4 * 3 / 2, bundles.Count);
        var trained = bundles.SelectMany(b => b).ToList();
        Assert.Equal(trained.Count, trained.Distinct().Count()); // every iteration trained exactly once
        foreach (int iteration in new[] { 0, 1, 2 })
        {
            Assert.Equal(4, trained.Count(o => o.Iteration == iteration)); // iteration n of the 4 runs: two bundles of two
        }

        Assert.All(RecordingTrainer.For(directory), r => Assert.Equal("finished", r.Result));
        Assert.All(status.Runs, r => Assert.Equal(3, r.FinishedIterations));
    }

    [Theory]
    [InlineData("4")]
    [InlineData("auto")]
    public async Task Four_seeds_on_two_silos_of_one_slot_gather_on_one_silo_and_train_each_iteration_as_one_bundle_of_four(string bundle)
    {
        // The runs ask for their iterations at once: every placement must pick the same silo for the key, or the four
        // would split into bundles of two after the window (or train alone). With auto no silo has trained the shape
        // when the first iterations are placed: placement takes the members that the runs' silo's cost model gives.
        await using var grid = await StartAsync(members: 4, LongGather, 1, 1);
        var (coordinator, directory) = await SubmitWithBundlesAsync(grid, $"bundles-across-silos-{bundle}", millisecondsPerIteration: 200, seeds: "[0, 1, 2, 3]", bundle);

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        var bundles = SimulatedTrainer.BundlesOf(directory);
        Assert.Equal(2, bundles.Count);
        Assert.All(bundles, b => Assert.Equal(4, b.Count));
        Assert.Equal([0, 1], bundles.Select(b => Assert.Single(b.Select(o => o.Iteration).Distinct())).Order());
    }

    [Fact]
    public async Task Members_gathering_on_a_silo_with_a_free_slot_stay_there_while_another_silo_is_idle()
    {
        // A window longer than the wait after which a queued iteration moves to a silo with a free slot: were the
        // gathering members moved, they would gather again on the idle silo, then move back, and never train.
        await using var grid = await StartAsync(members: 4, ShortGather, 1, 1);
        var (coordinator, directory) = await SubmitWithBundlesAsync(grid, "bundle-gathering-stays", millisecondsPerIteration: 100, seeds: "[0, 1]");

        // What grid watch shows meanwhile: each run's iteration waits with the other, two of the four a bundle may take.
        var waiting = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal || s.Runs.All(r => (r.Gathered, r.GatherCapacity) == (2, 4)), "both runs to show that they wait for their bundle, 2 of 4 queued");
        Assert.False(waiting.IsTerminal, "the sweep ended before its runs showed that they waited for their bundle");
        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        Assert.All(status.Runs, r => Assert.Equal(0, r.GatherCapacity));
        var bundles = SimulatedTrainer.BundlesOf(directory);
        Assert.Equal(2, bundles.Count);
        Assert.All(bundles, b => Assert.Equal(2, b.Count));
        var trainings = RecordingTrainer.For(directory);
        Assert.Equal(4, trainings.Count);
        Assert.All(trainings.GroupBy(t => t.Iteration), i => Assert.Single(i.Select(t => t.Silo).Distinct()));
    }

    [Fact]
    public async Task Members_of_one_never_bundle_and_never_wait_for_the_gather_window()
    {
        // A gather window longer than the test's stall bound: a worker that waited for it would stall the sweep.
        await using var grid = await StartAsync(members: 1, "3600000", 2);
        var (coordinator, submitted, _) = await grid.SubmitAsync(TestSweeps.Simulated("bundles-of-one", iterations: 2, millisecondsPerIteration: 100, seeds: "[0, 1, 2, 3]", fractions: "[1]"));
        string directory = submitted.Sweep!.Directory;

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        var bundles = SimulatedTrainer.BundlesOf(directory);
        Assert.Equal(4 * 2, bundles.Count);
        Assert.All(bundles, b => Assert.Single(b));
    }

    [Fact]
    public async Task A_member_cancelled_mid_bundle_leaves_it_the_other_finishes_and_the_run_trains_it_again()
    {
        await using var grid = await StartAsync(members: 2, ShortGather, 1);
        var (coordinator, submitted, file) = await grid.SubmitAsync(TestSweeps.Simulated("bundle-cancel", iterations: 2, millisecondsPerIteration: 3000, seeds: "[0, 1]", fractions: "[1]"));
        string directory = submitted.Sweep!.Directory;
        string victim = file.Runs.Single(r => r.Spec.Seed == 1).Hash;

        // Both first iterations train as one bundle; cancel one member once it has made progress.
        await GridCluster.WaitUntilAsync(() => SimulatedTrainer.BundlesOf(directory).Any(b => b.Count == 2), "a bundle of two to start");
        await GridCluster.WaitForAsync(coordinator, s => s.Runs.All(r => r.Current is { Step: > 0 } && r.BundleMembers == 2), "both members to report progress, each in a bundle of 2 (what grid watch shows)");
        var snapshot = await grid.Client.GetGrain<ITrainingIterationGrain>(GrainKeys.Iteration(submitted.Sweep.Hash, victim, 0)).Cancel();
        Assert.Equal(2, snapshot.BundleMembers);

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        var records = RecordingTrainer.For(directory);
        var first = SimulatedTrainer.BundlesOf(directory)[0];
        Assert.Equal(2, first.Count);
        Assert.Equal(["cancelled", "finished"], records.Where(r => r.Iteration == 0).Take(2).Select(r => r.Result).Order());
        Assert.Equal("cancelled", records.First(r => r.Iteration == 0 && r.RunDirectory.Contains(victim, StringComparison.Ordinal)).Result);
        // The run asked again for its cancelled iteration: trained once more; nothing else was trained twice.
        Assert.Equal(2, records.Count(r => r.Iteration == 0 && r.RunDirectory.Contains(victim, StringComparison.Ordinal)));
        Assert.Equal(2 * 2, records.Count(r => r.Result == "finished"));
        Assert.Equal(records.Count(r => r.Result == "finished"), records.Where(r => r.Result == "finished").Select(r => (r.RunDirectory, r.Iteration)).Distinct().Count());
    }

    [Fact]
    public async Task A_member_that_fails_fails_only_its_run()
    {
        await using var grid = await StartAsync(members: 2, ShortGather, 1);
        string yaml = TestSweeps.Simulated("bundle-failure", iterations: 3, millisecondsPerIteration: 100, seeds: "[0, 1]", fractions: "[1]");
        string victim = SweepFile.Parse(yaml).Runs.Single(r => r.Spec.Seed == 0).Hash;
        SimulatedTrainer.FailHalfway[victim] = 1;
        try
        {
            var (coordinator, submitted, _) = await grid.SubmitAsync(yaml);
            string directory = submitted.Sweep!.Directory;
            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to end");

            Assert.Equal(SweepState.Failed, status.State);
            var failed = status.Runs.Single(r => r.RunHash == victim);
            Assert.Equal(RunState.Failed, failed.State);
            Assert.Contains("simulated divergence", failed.Error);
            Assert.Equal(1, failed.FinishedIterations);
            var other = status.Runs.Single(r => r.RunHash != victim);
            Assert.Equal(RunState.Finished, other.State);
            Assert.Equal(3, other.FinishedIterations);

            // The failing member shared its bundle with the other run's iteration 1, which finished.
            var bundle = SimulatedTrainer.BundlesOf(directory).Single(b => b.Any(o => o.Iteration == 1 && o.RunDirectory.Contains(other.RunHash, StringComparison.Ordinal)));
            Assert.Equal(2, bundle.Count);
            Assert.Contains(bundle, o => o.Iteration == 1 && o.RunDirectory.Contains(victim, StringComparison.Ordinal));
            var records = RecordingTrainer.For(directory).Where(r => r.Iteration == 1).ToList();
            Assert.Equal("finished", Assert.Single(records, r => r.RunDirectory.Contains(other.RunHash, StringComparison.Ordinal)).Result);
            var failure = Assert.Single(records, r => r.RunDirectory.Contains(victim, StringComparison.Ordinal)); // permanent: tried once
            Assert.StartsWith("failed: simulated divergence", failure.Result);
        }
        finally
        {
            SimulatedTrainer.FailHalfway.TryRemove(victim, out _);
        }
    }

    [Fact]
    public async Task Iterations_of_different_shapes_never_share_a_bundle()
    {
        await using var grid = await StartAsync(members: 2, LongGather, 1);
        string yaml = """
            name: bundle-shapes
            base:
              network:
                hidden: [16, 16]
              training:
                validate_every: 10
              pruning:
                rewind_step: 5
                max_iterations: 1
            matrix:
              - field: training.steps
                values: [100, 120]
              - field: seed
                values: [0, 1]
            """;
        var (coordinator, submitted, _) = await grid.SubmitAsync(yaml);
        string directory = submitted.Sweep!.Directory;

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        var bundles = SimulatedTrainer.BundlesOf(directory);
        Assert.All(bundles, b => Assert.Single(b.Select(o => o.Key).Distinct()));
        Assert.All(bundles, b => Assert.Equal(2, b.Count)); // each shape's two seeds trained together
        Assert.Equal(2, bundles.Select(b => b[0].Key).Distinct().Count());
        Assert.Equal(4 * 2, bundles.Sum(b => b.Count));
    }
}
