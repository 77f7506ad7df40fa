using Grid.Engine.Specs;
using Grid.Grains.Hosting;
using Grid.Grains.Training;
using Grid.Tests.Shared;
using Grid.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grid.Tests.Training;

/// <summary>What a silo's slot report tells placement of its queue: the waiting iterations by bundle key.</summary>
public sealed class ReportedShapesTests : IDisposable
{
    private readonly TemporaryDirectory _runs = new();

    public void Dispose() => _runs.Dispose();

    private TrainingOrder Order(string name, int width) => new(name,
        new ExperimentSpec { Network = new NetworkSpec { Hidden = [width, width] }, Training = new TrainingSpec { Steps = 100 } },
        _runs.File(name), 0);

    private static TrainingWorker Worker(int members, int maxBundle) => new(new SimulatedTrainer(members),
        SlotPlan.Resolve(new GridOptions { Device = "cpu", DeviceSlots = 1 }),
        Microsoft.Extensions.Options.Options.Create(new GridOptions { MaxBundle = maxBundle, BundleGatherMilliseconds = 3_600_000 }),
        NullLogger<TrainingWorker>.Instance);

    [Fact]
    public async Task Gathering_iterations_are_reported_by_key_with_the_members_one_bundle_may_take_here()
    {
        using var worker = Worker(members: 3, maxBundle: 8);
        var jobs = new[] { worker.Start(Order("a0", 16)), worker.Start(Order("b0", 32)), worker.Start(Order("a1", 16)) };
        await ProgressWait.ForEventAsync("three iterations to queue", () => worker.Queued == 3);

        var shapes = worker.ShapesToReport().OrderBy(s => s.Key, StringComparer.Ordinal).ToList();

        Assert.Equal([("16x16/100", 2, 3), ("32x32/100", 1, 3)], shapes.Select(s => (s.Key, s.Count, s.Members)));
        Assert.Equal(0, worker.Busy); // both keys wait for more members: their window is an hour
        Assert.All(jobs, j => Assert.False(j.IsTerminal));
    }

    [Fact]
    public async Task A_shape_trained_alone_is_not_reported_once_it_leaves_the_queue()
    {
        using var worker = Worker(members: 1, maxBundle: 8);
        var job = worker.Start(Order("a0", 16));
        await ProgressWait.ForEventAsync("a slot to take the iteration", () => job.Device is not null || job.IsTerminal);

        Assert.Equal(0, worker.Queued);
        Assert.Empty(worker.ShapesToReport()); // members 1: nothing for placement to gather
    }

    [Fact]
    public async Task The_silo_cap_bounds_the_reported_members_and_a_full_bundle_leaves_the_queue_known()
    {
        using var worker = Worker(members: 3, maxBundle: 2);
        worker.Start(Order("a0", 16));
        await ProgressWait.ForEventAsync("the iteration to queue", () => worker.Queued == 1);

        Assert.Equal(2, Assert.Single(worker.ShapesToReport()).Members);

        worker.Start(Order("a1", 16)); // fills the bundle of two: it trains at once
        await ProgressWait.ForEventAsync("the bundle of two to leave the queue", () => worker.Queued == 0);
        // Still known, with nothing queued: the runs' next iterations are placed knowing the bundle's size.
        var known = Assert.Single(worker.ShapesToReport());
        Assert.Equal(("16x16/100", 0, 2), (known.Key, known.Count, known.Members));
    }
}
