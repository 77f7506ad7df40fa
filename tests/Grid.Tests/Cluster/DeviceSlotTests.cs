using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>A silo with several (pretend) CUDA devices: one slot per device, iterations trained on distinct devices at once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeviceSlotTests
{
    [Fact]
    public async Task Each_slot_of_a_multi_device_silo_trains_on_its_own_device_and_placement_counts_them_all()
    {
        var extra = new Dictionary<string, string?> { ["GridTest:FakeCuda:Secondary_1"] = "4" };
        await using var grid = await GridCluster.StartAsync("simulated", 100, extra, 0, 1);
        string name = "four-gpus";
        using var release = new ManualResetEventSlim(false);
        RecordingTrainer.Gates[name + "-"] = (_, cancellationToken) =>
            WaitHandle.WaitAny([release.WaitHandle, cancellationToken.WaitHandle], ProgressWait.EventBound);
        try
        {
            // The slot board placement reads (a probe entry with no slots reads it back without adding capacity).
            var board = grid.Client.GetGrain<ISlotBoardGrain>(GrainKeys.Singleton);
            var probe = new SiloSlots { Silo = "test-probe", UpdatedAt = DateTimeOffset.UtcNow };
            await GridCluster.WaitUntilAsync(async () => (await board.Report(probe)).Any(s => s.Slots == 4),
                "the four-device silo to report its slots");
            var reported = (await board.Report(probe)).Single(s => s.Slots == 4);
            Assert.Equal("cuda:0,cuda:1,cuda:2,cuda:3", reported.Device);

            var (coordinator, submitted, _) = await grid.SubmitAsync(TestSweeps.Simulated(name, iterations: 2, seeds: "[0, 1, 2, 3]", fractions: "[1]"));
            string directory = submitted.Sweep!.Directory;

            // Four runs, four slots: all four first iterations train at once, each on its own device.
            await GridCluster.WaitUntilAsync(() => RecordingTrainer.For(directory).Count == 4, "four trainings to run at once");
            var trainings = RecordingTrainer.For(directory);
            Assert.All(trainings, t => Assert.Equal("Secondary_1", t.Silo));
            Assert.Equal(["cuda:0", "cuda:1", "cuda:2", "cuda:3"], trainings.Select(t => t.Device).Order());
            var running = await GridCluster.WaitForAsync(coordinator, s => s.Runs.Count(r => r.Device is not null) == 4, "every run to show its device");
            Assert.Equal(["cuda:0", "cuda:1", "cuda:2", "cuda:3"], running.Runs.Select(r => r.Device!).Order());

            release.Set();
            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");
            Assert.Equal(SweepState.Finished, status.State);
        }
        finally
        {
            release.Set();
            RecordingTrainer.Gates.TryRemove(name + "-", out _);
        }
    }
}
