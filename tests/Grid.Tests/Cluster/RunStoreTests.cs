using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>
/// Sweeps that grow train only what no sweep trained yet (issue: never train the same thing twice). The real engine on
/// tiny Fashion-MNIST networks; trainings are counted in the run store's journal, which gets one line per iteration
/// trained to its end.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RunStoreTests
{
    private static string Sweep(string name, string seeds, int maxIterations, string axes = "") =>
        TestSweeps.Tiny(name, seeds, maxIterations, stopRatio: 0.01, more: axes + "\nanalysis: [none]");

    [Fact]
    public async Task A_sweep_with_one_more_seed_and_two_more_iterations_trains_only_what_is_new_and_a_finished_one_nothing()
    {
        await using var grid = await GridCluster.StartAsync("engine", 0, 1);
        var store = RunStore.Of(grid.Results);
        var (first, a, _) = await grid.SubmitAsync(Sweep("grow", "[0, 1]", maxIterations: 2));
        Assert.Equal(SweepState.Finished, (await GridCluster.WaitForAsync(first, s => s.IsTerminal, "sweep A to finish")).State);
        Assert.Equal(2 * 3, Trainings(store).Count);
        Assert.Equal(new WorkPlan { ToTrain = 6, Reused = 0, Shared = 0, Exact = false }, a.Plan);

        var (second, b, _) = await grid.SubmitAsync(Sweep("grow", "[0, 1, 2]", maxIterations: 4));
        Assert.NotEqual(a.Sweep!.Hash, b.Sweep!.Hash);
        Assert.Equal((9, 6), (b.Plan!.ToTrain, b.Plan.Reused));
        Assert.Equal(SweepState.Finished, (await GridCluster.WaitForAsync(second, s => s.IsTerminal, "sweep B to finish")).State);

        // Only the third seed's five iterations and iterations 3 and 4 of the first two seeds trained.
        var trainings = Trainings(store);
        Assert.Equal(6 + 5 + 2 * 2, trainings.Count);
        Assert.Equal(3, trainings.Count(t => t.Part == "trunk"));
        Assert.Equal(trainings.Count, trainings.Distinct().Count());
        var seenInA = trainings.Take(6).Select(t => t.Id).ToHashSet();
        Assert.Equal([3, 3, 4, 4], trainings.Skip(6).Where(t => seenInA.Contains(t.Id)).Select(t => t.Iteration).Order());
        Assert.Equal([0, 1, 2, 3, 4], trainings.Skip(6).Where(t => !seenInA.Contains(t.Id)).Select(t => t.Iteration).Order());

        // The shared iterations read the same in both sweeps' summaries.
        var rowsA = Finished(grid, a);
        var rowsB = Finished(grid, b);
        Assert.Equal(3 * 5, rowsB.Count);
        foreach (var (key, metrics) in rowsA)
        {
            Assert.Equal(metrics, rowsB[key]);
        }

        // Submitted again, the finished sweep trains nothing and says so.
        var (again, rerun, _) = await grid.SubmitAsync(Sweep("grow", "[0, 1, 2]", maxIterations: 4));
        Assert.Equal(new WorkPlan { ToTrain = 0, Reused = 15, Shared = 0, Exact = true }, rerun.Plan);
        Assert.Equal(SweepState.Finished, (await GridCluster.WaitForAsync(again, s => s.IsTerminal, "sweep B again")).State);
        Assert.Equal(trainings.Count, Trainings(store).Count);
    }

    [Fact]
    public async Task Five_procedures_on_two_seeds_train_the_dense_trunk_twice_not_ten_times()
    {
        await using var grid = await GridCluster.StartAsync("engine", 0, 1);
        string procedures = """
              - field: pruning
                values:
                  - {method: imp}
                  - {method: one-shot, target_density: 0.1}
                  - {method: snip, target_density: 0.1, snip_images: 200}
                  - {method: snip, target_density: 0.05, snip_images: 200}
                  - {method: synflow, target_density: 0.1, synflow_rounds: 5}
            """;
        var (coordinator, submitted, file) = await grid.SubmitAsync(Sweep("procedures", "[0, 1]", maxIterations: 2, procedures));
        Assert.Equal(10, file.Runs.Count);
        Assert.Equal(8, submitted.Plan!.Shared); // every run but the first of each seed takes its trunk from it
        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the procedures sweep to finish");
        Assert.True(status.State == SweepState.Finished, GridCluster.Describe(status));

        var trainings = Trainings(RunStore.Of(grid.Results));
        Assert.Equal(2, trainings.Count(t => t.Part == "trunk"));
        Assert.Equal(2 * (2 + 1 + 1 + 1 + 1), trainings.Count(t => t.Part == "line")); // IMP to max_iterations, the others once
        var rows = CsvText.Parse(File.ReadAllText(Path.Combine(grid.Results, submitted.Sweep!.Directory, SweepLayout.SummaryFile)));
        var dense = rows.Skip(1).Where(r => r[Column(rows, "iteration")] == "0").GroupBy(r => r[Column(rows, "seed")]).ToList();
        Assert.Equal(2, dense.Count);
        Assert.All(dense, seed => Assert.Single(seed.Select(r => r[Column(rows, "best_val_accuracy")]).Distinct())); // one trunk per seed
    }

    private static IReadOnlyList<(string Part, string Id, int Iteration)> Trainings(RunStore store) =>
        [.. store.ReadJournal().Where(e => e.Event == StoreEvent.Trained).Select(e => (e.Part, e.Id, e.Iteration))];

    /// <summary>(seed, iteration) → the metrics of the finished rows of a sweep's summary.csv.</summary>
    private static Dictionary<(string Seed, string Iteration), string> Finished(GridCluster grid, SubmitResult submitted)
    {
        var rows = CsvText.Parse(File.ReadAllText(Path.Combine(grid.Results, submitted.Sweep!.Directory, SweepLayout.SummaryFile)));
        int seed = Column(rows, "seed"), iteration = Column(rows, "iteration"), accuracy = Column(rows, "best_val_accuracy"), u = Column(rows, "unpruned_fraction");
        return rows.Skip(1).Where(r => r[^1] == SummaryTable.Finished)
            .ToDictionary(r => (r[seed], r[iteration]), r => $"{r[u]} {r[accuracy]}");
    }

    private static int Column(IReadOnlyList<IReadOnlyList<string>> rows, string name) => rows[0].ToList().IndexOf(name);
}
