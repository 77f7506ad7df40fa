using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class QueueRebalancingTests
{
    [Fact]
    public async Task An_iteration_waiting_behind_a_busy_slot_moves_to_a_silo_with_a_free_one_and_is_trained_once()
    {
        await using var grid = await GridCluster.StartAsync("simulated", 0, 1);
        string name = "queue-move";
        using var release = new ManualResetEventSlim(false);
        RecordingTrainer.Gates[name + "-"] = (record, cancellationToken) =>
        {
            // Secondary_1's only slot stays busy until released: the other run's iteration queues behind it.
            if (record.Silo == "Secondary_1")
            {
                WaitHandle.WaitAny([release.WaitHandle, cancellationToken.WaitHandle], ProgressWait.EventBound);
            }
        };
        try
        {
            var (coordinator, submitted, _) = await grid.SubmitAsync(TestSweeps.Simulated(name, iterations: 2, seeds: "[0, 1]", fractions: "[1]"));
            string directory = submitted.Sweep!.Directory;
            await GridCluster.WaitUntilAsync(() => RecordingTrainer.For(directory).Count == 1, "the first training to start");
            var held = RecordingTrainer.For(directory)[0];

            await grid.Cluster.StartAdditionalSiloAsync();

            await GridCluster.WaitUntilAsync(() => RecordingTrainer.For(directory).Any(t => t.Silo != "Secondary_1"), "the queued iteration to move to the new silo");
            Assert.Equal("running", held.Result); // it moved while the slot it waited for was still busy
            release.Set();
            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

            Assert.Equal(SweepState.Finished, status.State);
            var trainings = RecordingTrainer.For(directory);
            Assert.Equal(4, trainings.Count); // 2 runs x 2 iterations, each trained exactly once
            Assert.All(trainings, t => Assert.Equal("finished", t.Result));
            Assert.Equal(4, trainings.Select(t => (t.RunDirectory, t.Iteration)).Distinct().Count());
        }
        finally
        {
            release.Set();
            RecordingTrainer.Gates.TryRemove(name + "-", out _);
        }
    }
}
