using Grid.Grains.Training;

namespace Grid.Tests.Training;

/// <summary>How the training worker's queue becomes bundles on free slots.</summary>
public sealed class BundlePlannerTests
{
    private const long Gather = 500;

    private static QueuedIteration Job(string key, int members, long queuedAt = 0, int slots = 4) =>
        new(key, [.. Enumerable.Repeat(members, slots)], queuedAt);

    private static int[][] Members(SlotAssignment plan) => [.. plan.Bundles.Select(b => b.Members.ToArray())];

    [Fact]
    public void Eight_compatible_iterations_on_two_free_slots_with_room_for_eight_train_as_two_bundles_of_four()
    {
        var queue = Enumerable.Range(0, 8).Select(i => Job("a", 8, queuedAt: i)).ToList();

        var early = BundlePlanner.Plan(queue, [0, 1], maxBundle: 8, Gather, now: 100);
        Assert.Empty(early.Bundles); // fewer queued than the two slots could take: gather
        Assert.Equal(Gather, early.WakeAt); // until the oldest one's window ends
        Assert.Equal([new BundleGathering("a", 8, 16)], early.Gathering); // what the waiting members show

        var plan = BundlePlanner.Plan(queue, [0, 1], maxBundle: 8, Gather, now: Gather);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7]], Members(plan));
        Assert.Equal([0, 1], plan.Bundles.Select(b => b.Slot));
        Assert.Empty(plan.Gathering);
    }

    [Fact]
    public void A_full_bundle_does_not_wait_and_the_silo_cap_limits_it()
    {
        var queue = Enumerable.Range(0, 5).Select(i => Job("a", 8, queuedAt: i)).ToList();

        var plan = BundlePlanner.Plan(queue, [2], maxBundle: 3, Gather, now: 10);

        Assert.Equal([[0, 1, 2]], Members(plan)); // min(members 8, Grid:MaxBundle 3), at once: the slot is full
        Assert.Equal(2, plan.Bundles[0].Slot);
        Assert.Null(plan.WakeAt);
    }

    [Fact]
    public void Iterations_that_train_alone_never_wait_and_go_oldest_first()
    {
        var queue = new[] { Job("a", 1, 0), Job("b", 1, 1), Job("a", 1, 2) };

        var plan = BundlePlanner.Plan(queue, [1, 0], maxBundle: 8, Gather, now: 3);

        Assert.Equal([[0], [1]], Members(plan));
        Assert.Equal([1, 0], plan.Bundles.Select(b => b.Slot)); // the slot free longest first
        Assert.Null(plan.WakeAt);
    }

    [Fact]
    public void Different_keys_never_share_a_bundle_and_each_key_gets_its_own_slot()
    {
        var queue = new[] { Job("a", 4, 0), Job("b", 4, 1), Job("a", 4, 2), Job("b", 4, 3), Job("a", 4, 4) };

        var plan = BundlePlanner.Plan(queue, [0, 1], maxBundle: 8, Gather, now: Gather + 10);

        Assert.Equal([[0, 2, 4], [1, 3]], Members(plan));
    }

    [Fact]
    public void A_gathering_key_leaves_the_free_slot_to_a_younger_key_that_is_ready()
    {
        var queue = new[] { Job("a", 4, queuedAt: 0), Job("b", 1, queuedAt: 5) };

        var plan = BundlePlanner.Plan(queue, [0], maxBundle: 8, Gather, now: 10);

        Assert.Equal([[1]], Members(plan));
        Assert.Equal(Gather, plan.WakeAt);
    }

    [Fact]
    public void A_bundle_of_members_per_slot_takes_what_each_slot_allows()
    {
        var queue = Enumerable.Range(0, 4).Select(i => new QueuedIteration("a", [3, 1], i)).ToList();

        var plan = BundlePlanner.Plan(queue, [0, 1], maxBundle: 8, Gather, now: 4);

        Assert.Equal([[0, 1, 2], [3]], Members(plan)); // slot 0 takes 3, slot 1 one: full, so no wait
    }

    [Fact]
    public void Nothing_is_planned_without_a_free_slot()
    {
        var plan = BundlePlanner.Plan([Job("a", 4)], [], maxBundle: 8, Gather, now: 0);

        Assert.Empty(plan.Bundles);
        Assert.Null(plan.WakeAt);
    }
}
