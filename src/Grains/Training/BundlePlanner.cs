namespace Grid.Grains.Training;

/// <summary>An iteration waiting for a slot, as <see cref="BundlePlanner"/> sees it.</summary>
/// <param name="Key">Iterations with equal keys may train together.</param>
/// <param name="MembersPerSlot">The most members of a bundle with this iteration, per slot index.</param>
/// <param name="QueuedAt">When it joined the queue, in milliseconds of a monotonic clock.</param>
public sealed record QueuedIteration(string Key, IReadOnlyList<int> MembersPerSlot, long QueuedAt);

/// <summary>One bundle to start: the slot (its index) and the members (indexes into the queue, oldest first).</summary>
public sealed record PlannedBundle(int Slot, IReadOnlyList<int> Members);

/// <summary>A key whose queued iterations wait for more members: <paramref name="Queued"/> of the
/// <paramref name="Capacity"/> its free slots could take.</summary>
public sealed record BundleGathering(string Key, int Queued, int Capacity);

/// <summary>What to start now, when to plan again if nothing else happens (a gather window ends), and the keys that
/// wait for more members.</summary>
public sealed record SlotAssignment(IReadOnlyList<PlannedBundle> Bundles, long? WakeAt, IReadOnlyList<BundleGathering> Gathering);

/// <summary>
/// Forms bundles from the queue of a silo's training worker. The oldest queued iteration goes first, with the queued
/// iterations of its key, at most min(<see cref="QueuedIteration.MembersPerSlot"/>, max bundle) per slot, spread evenly
/// over the free slots that no other key waits for (8 iterations, 2 free slots with room for 8: two bundles of 4).
/// An iteration that could share its bundle (members above 1) waits up to the gather window from its arrival while
/// fewer of its key are queued than those free slots can take; one alone in its bundle (members 1) never waits. A key
/// that is gathering leaves the free slots to younger keys meanwhile.
/// </summary>
public static class BundlePlanner
{
    /// <param name="queue">Waiting iterations, oldest first.</param>
    /// <param name="freeSlots">Free slot indexes, in the order to use them (the worker's: the one freed last first).</param>
    /// <param name="maxBundle">The silo's cap on members per bundle (Grid:MaxBundle).</param>
    /// <param name="gatherMilliseconds">The gather window (Grid:BundleGatherMilliseconds).</param>
    /// <param name="now">Now, on the clock of <see cref="QueuedIteration.QueuedAt"/>.</param>
    public static SlotAssignment Plan(IReadOnlyList<QueuedIteration> queue, IReadOnlyList<int> freeSlots, int maxBundle, long gatherMilliseconds, long now)
    {
        var bundles = new List<PlannedBundle>();
        var free = new List<int>(freeSlots);
        var taken = new bool[queue.Count];
        var gathering = new Dictionary<string, BundleGathering>(StringComparer.Ordinal);
        long? wakeAt = null;
        while (free.Count > 0)
        {
            int head = Enumerable.Range(0, queue.Count).FirstOrDefault(i => !taken[i] && !gathering.ContainsKey(queue[i].Key), -1);
            if (head < 0)
            {
                break;
            }

            string key = queue[head].Key;
            var compatible = Enumerable.Range(head, queue.Count - head).Where(i => !taken[i] && queue[i].Key == key).ToList();
            int otherKeys = Enumerable.Range(0, queue.Count).Where(i => !taken[i] && queue[i].Key != key).Select(i => queue[i].Key).Distinct(StringComparer.Ordinal).Count();
            int usable = Math.Clamp(free.Count - otherKeys, 1, free.Count);
            var slots = free.Take(usable).ToList();
            var caps = slots.Select(slot => Cap(queue[head], slot, maxBundle)).ToList();
            long gatherEnds = queue[head].QueuedAt + gatherMilliseconds;
            if (caps.Max() > 1 && compatible.Count < caps.Sum() && now < gatherEnds)
            {
                gathering[key] = new BundleGathering(key, compatible.Count, caps.Sum());
                wakeAt = Math.Min(wakeAt ?? long.MaxValue, gatherEnds);
                continue;
            }

            slots = slots.Take(compatible.Count).ToList();
            var sizes = Spread(Math.Min(compatible.Count, caps.Take(slots.Count).Sum()), caps.Take(slots.Count).ToList());
            int next = 0;
            for (int s = 0; s < slots.Count; s++)
            {
                var members = compatible.Skip(next).Take(sizes[s]).ToList();
                next += sizes[s];
                members.ForEach(i => taken[i] = true);
                bundles.Add(new PlannedBundle(slots[s], members));
                free.Remove(slots[s]);
            }
        }

        return new SlotAssignment(bundles, wakeAt, [.. gathering.Values]);
    }

    private static int Cap(QueuedIteration iteration, int slot, int maxBundle) =>
        Math.Max(1, Math.Min(slot < iteration.MembersPerSlot.Count ? iteration.MembersPerSlot[slot] : 1, maxBundle));

    /// <summary><paramref name="total"/> members dealt one by one over slots with these caps: sizes as equal as the caps allow.</summary>
    private static int[] Spread(int total, IReadOnlyList<int> caps)
    {
        var sizes = new int[caps.Count];
        for (int dealt = 0, s = 0; dealt < total; s = (s + 1) % caps.Count)
        {
            if (sizes[s] < caps[s])
            {
                sizes[s]++;
                dealt++;
            }
        }

        return sizes;
    }
}
