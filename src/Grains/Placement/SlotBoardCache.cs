namespace Grid.Grains.Placement;

/// <summary>
/// This silo's copy of the slot board (refreshed by <see cref="SlotBoardPublisher"/>), plus the placements this silo
/// made since, so that a burst of activations spreads over the free slots instead of piling onto one silo.
/// </summary>
public sealed class SlotBoardCache
{
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private Dictionary<string, SiloSlots> _board = new(StringComparer.Ordinal);
    private readonly List<(string Silo, DateTimeOffset At, BundleAffinity? Iteration)> _pending = [];

    public void Update(IEnumerable<SiloSlots> board)
    {
        lock (_lock)
        {
            _board = board.ToDictionary(s => s.Silo, StringComparer.Ordinal);
            _pending.Clear();
        }
    }

    public SiloSlots? Get(string silo)
    {
        lock (_lock)
        {
            return _board.GetValueOrDefault(silo);
        }
    }

    public IReadOnlyList<SiloSlots> All()
    {
        lock (_lock)
        {
            return [.. _board.Values];
        }
    }

    public void RecordPlacement(string silo, DateTimeOffset now, BundleAffinity? iteration = null)
    {
        lock (_lock)
        {
            _pending.Add((silo, now, iteration));
        }
    }

    /// <summary>A silo with <paramref name="slots"/> device slots as last reported, with the placements made here since
    /// added to its queue.</summary>
    public SiloQueue QueueOf(string silo, int slots, DateTimeOffset now)
    {
        var reported = Get(silo);
        var queue = new SiloQueue(silo, slots, reported?.Busy ?? 0, reported?.Queued ?? 0, reported?.Shapes ?? []);
        lock (_lock)
        {
            _pending.RemoveAll(p => now - p.At > PendingLifetime);
            return _pending.Where(p => p.Silo == silo).Aggregate(queue, (q, p) => q.With(p.Iteration));
        }
    }
}
