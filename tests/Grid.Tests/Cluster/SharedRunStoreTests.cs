using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>Two sweeps on one cluster that need the same stored work at the same time (the real engine, tiny nets).</summary>
[Collection(ClusterCollection.Name)]
public sealed class SharedRunStoreTests
{
    [Fact]
    public async Task Two_sweeps_that_need_the_same_iterations_at_once_on_two_silos_train_each_once()
    {
        await using var grid = await GridCluster.StartAsync("engine", 1, 1);
        const string Name = "store-share";
        const int Shorter = 1, Longer = 2;

        // The first dense iteration asked for is held until the other sweep's run of the same seed asks for it too (on
        // the other silo's slot): both need it at the same moment. The other seed's work runs meanwhile.
        string? heldTrunk = null;
        var arrived = new List<TrainingRecord>();
        var sync = new Lock();
        using var both = new ManualResetEventSlim(false);
        RecordingTrainer.Gates[Name + "-"] = (record, cancellationToken) =>
        {
            if (record.Iteration != 0)
            {
                return;
            }

            string trunk = StoreLink.Read(record.RunDirectory)!.Trunk;
            lock (sync)
            {
                heldTrunk ??= trunk;
                if (trunk != heldTrunk)
                {
                    return;
                }

                arrived.Add(record);
                if (arrived.Count == 2)
                {
                    both.Set();
                }
            }

            if (WaitHandle.WaitAny([both.WaitHandle, cancellationToken.WaitHandle], ProgressWait.EventBound) == WaitHandle.WaitTimeout)
            {
                throw new TimeoutException($"the other sweep did not ask for trunk {trunk} within {ProgressWait.EventBound.TotalMinutes} min");
            }
        };
        try
        {
            var submitted = await Task.WhenAll(
                grid.SubmitAsync(TestSweeps.TinyTrainingOnly(Name + "-short", "[0, 1]", Shorter)),
                grid.SubmitAsync(TestSweeps.TinyTrainingOnly(Name + "-long", "[0, 1]", Longer)));
            foreach (var (coordinator, _, _) in submitted)
            {
                var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "both sweeps to finish");
                Assert.True(status.State == SweepState.Finished, GridCluster.Describe(status));
            }

            // Both sweeps' runs of one seed were in training with the held trunk at once, on different silos.
            Assert.Equal(2, arrived.Count);
            Assert.NotEqual(arrived[0].RunDirectory, arrived[1].RunDirectory);
            Assert.NotEqual(arrived[0].Silo, arrived[1].Silo);

            // Two trunks, two lines of two iterations: each trained once, whichever sweep asked first.
            var trained = RunStore.Of(grid.Results).ReadJournal().Where(e => e.Event == StoreEvent.Trained).ToList();
            var twice = trained.GroupBy(e => (e.Part, e.Id, e.Iteration)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, "trained more than once: " + string.Join("; ", twice));
            Assert.Equal(2 + 2 * Longer, trained.Count);
            Assert.Single(trained, e => e.Part == "trunk" && e.Id == heldTrunk);

            // The runs of a seed read the same stored results in both sweeps.
            var outcomes = submitted.Select(s => s.File.Runs.ToDictionary(
                r => r.Spec.Seed,
                r => RunExecutor.FinishedIterations(Path.Combine(grid.Results, s.Result.Sweep!.Directory, "runs", r.Hash)))).ToList();
            foreach (var (seed, shorter) in outcomes[0])
            {
                Assert.Equal(Shorter + 1, shorter.Count);
                Assert.Equal(Longer + 1, outcomes[1][seed].Count);
                Assert.Equal(shorter.Select(o => (o.BestValAccuracy, o.UnprunedFraction)), outcomes[1][seed].Take(Shorter + 1).Select(o => (o.BestValAccuracy, o.UnprunedFraction)));
            }
        }
        finally
        {
            both.Set();
            RecordingTrainer.Gates.TryRemove(Name + "-", out _);
        }
    }
}
