using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Runs.Store;

public sealed class StoreExecutorTests
{
    private static ExperimentSpec Spec(int maxIterations, string method = "imp", long seed = 1) => TinyRuns.Spec(seed) with
    {
        Pruning = TinyRuns.Spec().Pruning with { MaxIterations = maxIterations, Method = method, TargetDensity = 0.2 },
    };

    [Fact]
    public void A_run_that_goes_further_trains_only_its_new_iterations_and_matches_a_run_trained_in_place()
    {
        var runs = new StoreRuns();
        var shorter = runs.Run(Spec(maxIterations: 1));
        Assert.Equal([("trunk", 0), ("line", 1)], runs.Trainings());
        Assert.Equal("reached max_iterations (1)", shorter[^1].StopReason);

        string longer = runs.Link(Spec(maxIterations: 2));
        var outcomes = RunExecutor.RunToEnd(Spec(maxIterations: 2), longer, CPU, null, CancellationToken.None);
        Assert.Equal([("trunk", 0), ("line", 1), ("line", 2)], runs.Trainings());
        Assert.Equal([false, false, true], outcomes.Select(o => o.IsLast));
        Assert.Equal([false, false], shorter.Select(o => o.Reused));
        Assert.Equal([true, true, false], outcomes.Select(o => o.Reused)); // what the silo's metrics count as reused
        Assert.Equal(shorter.Select(o => o.BestValAccuracy), outcomes.Take(2).Select(o => o.BestValAccuracy));

        // The same science as a run that trains in its own directory: the same masks, the same accuracies.
        string inPlace = TinyRuns.TemporaryDirectory();
        var reference = RunExecutor.RunToEnd(Spec(maxIterations: 2), inPlace, CPU, null, CancellationToken.None);
        Assert.Equal(reference.Select(o => (o.BestValAccuracy, o.IsLast, o.StopReason)), outcomes.Select(o => (o.BestValAccuracy, o.IsLast, o.StopReason)));
        for (int n = 0; n <= 2; n++)
        {
            Assert.True(StoreRuns.SameBytes(Path.Combine(inPlace, $"iter-{n:D3}", "curves.csv"), Path.Combine(longer, $"iter-{n:D3}", "curves.csv")));
            Assert.True(MasksEqual(Path.Combine(inPlace, $"iter-{n:D3}", "mask.npz"), Path.Combine(longer, $"iter-{n:D3}", "mask.npz")), $"mask {n}");
        }

        // The run directory reads as one trained in place, and verifies.
        Assert.Equal((3, null), (RunIntegrity.Check(longer, IntegrityDepth.Full).Valid.Count, RunIntegrity.Check(longer, IntegrityDepth.Full).Problem));
        Assert.True(File.Exists(Path.Combine(longer, "rewind.npz")));
    }

    [Fact]
    public void Every_method_starts_from_the_one_dense_trunk_of_its_seed()
    {
        var runs = new StoreRuns();
        runs.Run(Spec(maxIterations: 1));
        runs.Run(Spec(maxIterations: 1, method: "one-shot"));
        runs.Run(Spec(maxIterations: 1, method: "snip"));
        runs.Run(Spec(maxIterations: 1, method: "imp", seed: 2));

        var trainings = runs.Trainings();
        Assert.Equal(2, trainings.Count(t => t.Part == "trunk")); // seeds 1 and 2, not once per method
        Assert.Equal(4, trainings.Count(t => t.Part == "line"));
    }

    [Fact]
    public void Runs_that_rewind_to_other_steps_share_the_trunk_and_get_their_checkpoint_by_a_short_retraining()
    {
        var runs = new StoreRuns();
        var early = Spec(maxIterations: 1);
        var later = early with { Pruning = early.Pruning with { RewindStep = 30 } };
        runs.Run(early);
        string directory = runs.Link(later);
        var outcomes = RunExecutor.RunToEnd(later, directory, CPU, null, CancellationToken.None);

        Assert.Single(runs.Trainings(), t => t.Part == "trunk");
        var checkpoint = Assert.Single(runs.Store.ReadJournal(), e => e.Event == StoreEvent.Checkpoint);
        Assert.Equal(30, checkpoint.Iteration);

        // The same science as a run that saved its checkpoint while training iteration 0 in its own directory.
        string inPlace = TinyRuns.TemporaryDirectory();
        var reference = RunExecutor.RunToEnd(later, inPlace, CPU, null, CancellationToken.None);
        Assert.True(StoreRuns.SameTensors(Path.Combine(inPlace, "rewind.npz"), Path.Combine(directory, "rewind.npz")), "the rewind weights");
        Assert.Equal(reference.Select(o => o.BestValAccuracy), outcomes.Select(o => o.BestValAccuracy));
        Assert.True(MasksEqual(Path.Combine(inPlace, "iter-001", "mask.npz"), Path.Combine(directory, "iter-001", "mask.npz")));
    }

    [Fact]
    public void Runs_that_need_the_same_iterations_at_the_same_time_train_each_once()
    {
        var runs = new StoreRuns();
        string first = runs.Link(Spec(maxIterations: 2)), second = runs.Link(Spec(maxIterations: 2));
        var results = new IReadOnlyList<IterationOutcome>[2];
        Parallel.For(0, 2, i => results[i] = RunExecutor.RunToEnd(Spec(maxIterations: 2), i == 0 ? first : second, CPU, null, CancellationToken.None));

        Assert.Equal([("line", 1), ("line", 2), ("trunk", 0)], runs.Trainings().Order());
        Assert.Equal(results[0].Select(o => o.BestValAccuracy), results[1].Select(o => o.BestValAccuracy));
    }

    [Fact]
    public void A_stored_file_that_changed_is_set_aside_and_its_iteration_trained_again()
    {
        var runs = new StoreRuns();
        string first = runs.Link(Spec(maxIterations: 1));
        RunExecutor.RunToEnd(Spec(maxIterations: 1), first, CPU, null, CancellationToken.None);
        var trunk = new RunDirectory(runs.Store.TrunkPath(StoreLink.Read(first)!.Trunk));
        File.WriteAllBytes(trunk.FinalWeightsFile(0), [1, 2, 3]);

        string second = runs.Link(Spec(maxIterations: 1));
        RunExecutor.RunToEnd(Spec(maxIterations: 1), second, CPU, null, CancellationToken.None);

        Assert.Equal(2, runs.Trainings().Count(t => t.Part == "trunk"));
        Assert.Single(Directory.GetDirectories(Path.Combine(trunk.Path, RunQuarantine.DirectoryName)));
        var check = RunIntegrity.Check(second, IntegrityDepth.Full);
        Assert.Equal((2, null), (check.Valid.Count, check.Problem));
        Assert.True(MasksEqual(Path.Combine(first, "iter-001", "mask.npz"), Path.Combine(second, "iter-001", "mask.npz")));
    }

    [Fact]
    public void The_plan_counts_what_is_stored_what_runs_share_and_what_trains()
    {
        var runs = new StoreRuns();
        runs.Run(Spec(maxIterations: 1));
        var plans = StorePlan.For(runs.Store,
        [
            Plan(1, Spec(maxIterations: 1)),
            Plan(2, Spec(maxIterations: 2)),
            Plan(3, Spec(maxIterations: 1, method: "one-shot")),
            Plan(4, Spec(maxIterations: 2, seed: 2)),
            Plan(5, Spec(maxIterations: 2, seed: 2, method: "one-shot")),
        ]);

        Assert.Equal((2, 0, 0, true), Counts(plans[0])); // finished: nothing to train, and the store knows where it stops
        Assert.Equal((2, 0, 1, false), Counts(plans[1]));
        Assert.Equal((1, 0, 1, false), Counts(plans[2]));
        Assert.Equal((0, 0, 3, false), Counts(plans[3]));
        Assert.Equal((0, 1, 1, false), Counts(plans[4])); // its trunk is run 4's
    }

    private static Sweeps.RunPlan Plan(int index, ExperimentSpec spec) => new(index, [], spec);

    private static (int Reused, int Shared, int ToTrain, bool Exact) Counts(RunWorkPlan plan) => (plan.Reused, plan.Shared, plan.ToTrain, plan.Exact);

    private static bool MasksEqual(string a, string b)
    {
        var left = TensorArchive.LoadMasks(a);
        var right = TensorArchive.LoadMasks(b);
        return left.Count == right.Count && left.Zip(right).All(pair => pair.First.equal(pair.Second).all().item<bool>());
    }
}
