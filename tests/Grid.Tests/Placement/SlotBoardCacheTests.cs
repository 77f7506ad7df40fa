using Grid.Abstractions.Contracts;
using Grid.Grains.Placement;

namespace Grid.Tests.Placement;

/// <summary>What placement counts on a silo: its last report, plus the placements made here that the report does not show.</summary>
public sealed class SlotBoardCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly BundleAffinity Bundling = new("784-16x2-10/sgd", Members: 4);

    private static SiloSlots Report(TimeSpan after, int queued = 0, params string[] iterations) => new()
    {
        Silo = "a",
        Slots = 1,
        Device = "cuda:0",
        Queued = queued,
        Shapes = queued > 0 ? [new QueuedShape { Key = Bundling.Key, Count = queued, Members = 4 }] : [],
        Iterations = iterations,
        UpdatedAt = T0 + after,
    };

    private static SiloQueue QueueAt(SlotBoardCache cache, TimeSpan after) => cache.QueueOf("a", 1, T0 + after);

    [Fact]
    public void A_placement_counts_until_its_silo_lists_it_and_then_once()
    {
        var cache = new SlotBoardCache();
        cache.RecordPlacement("a", T0, "sweep/run/0", Bundling);

        // Reported before the iteration reached the silo's worker: the placement still counts.
        cache.Update([Report(TimeSpan.FromMilliseconds(300))]);
        Assert.Equal(1, QueueAt(cache, TimeSpan.FromMilliseconds(400)).Queued);

        // Listed: the report counts it, the placement no longer does.
        cache.Update([Report(TimeSpan.FromMilliseconds(900), queued: 1, "sweep/run/0")]);
        var queue = QueueAt(cache, TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Queued);
        Assert.Equal(1, Assert.Single(queue.Shapes).Count);
        Assert.Equal("cuda:0", queue.Device); // what auto-sized bundles are estimated by (SlotChoice)
    }

    [Fact]
    public void A_placement_its_silo_does_not_list_well_after_it_no_longer_counts()
    {
        var cache = new SlotBoardCache();
        cache.RecordPlacement("a", T0, "sweep/run/0", Bundling);

        cache.Update([Report(TimeSpan.FromSeconds(3))]); // ended already, or never arrived

        Assert.Equal(0, QueueAt(cache, TimeSpan.FromSeconds(3)).Queued);
    }

    [Fact]
    public void A_placement_on_a_silo_that_does_not_report_counts_for_a_few_seconds()
    {
        var cache = new SlotBoardCache();
        cache.RecordPlacement("a", T0, "sweep/run/0", Bundling);

        Assert.Equal(1, QueueAt(cache, TimeSpan.FromSeconds(4)).Queued);
        Assert.Equal(0, QueueAt(cache, TimeSpan.FromSeconds(6)).Queued);
    }

    [Fact]
    public void The_key_placement_records_is_the_key_the_iteration_grain_reports()
    {
        const string key = "3fa2c1d0e9b8a7f6/0123456789abcdef/12";
        var grain = GrainId.Create(GrainType.Create("trainingiteration"), key);

        Assert.Equal(key, grain.Key.ToString()); // the director records GrainIdentity.Key; the worker lists GetPrimaryKeyString()
    }
}
