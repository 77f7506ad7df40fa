namespace Grid.Grains.Placement;

/// <summary>
/// This silo's copy of the slot board (refreshed by <see cref="SlotBoardPublisher"/>), plus the placements this silo
/// made that the board does not show yet, so that a burst of activations spreads over the free slots (or gathers into
/// one bundle) instead of piling onto one silo. A placement counts until its silo's report lists the iteration, or
/// reports from <see cref="Settle"/> after it without it (the iteration has ended, or never arrived), or for
/// <see cref="PendingLifetime"/> at most. (Dropping every placement when a board arrived lost those its silo had not
/// admitted when it reported: a sweep's bundle of four then split into three and one.)
/// </summary>
public sealed class SlotBoardCache
{
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromSeconds(5);

    /// <summary>Longer than a placed iteration takes to reach its silo's worker (an activation and a call).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private Dictionary<string, SiloSlots> _board = new(StringComparer.Ordinal);
    private readonly List<Placement> _pending = [];

    private sealed record Placement(string Silo, DateTimeOffset At, string Key, BundleAffinity? Iteration);

    public void Update(IEnumerable<SiloSlots> board)
    {
        lock (_lock)
        {
            _board = board.ToDictionary(s => s.Silo, StringComparer.Ordinal);
            _pending.RemoveAll(Shown);
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

    /// <param name="key">The placed iteration's grain key, which its silo lists in its report once it holds it.</param>
    public void RecordPlacement(string silo, DateTimeOffset now, string key, BundleAffinity? iteration = null)
    {
        lock (_lock)
        {
            _pending.Add(new Placement(silo, now, key, iteration));
        }
    }

    /// <summary>A silo with <paramref name="slots"/> device slots as last reported, with the placements made here that
    /// its report does not show added to its queue.</summary>
    public SiloQueue QueueOf(string silo, int slots, DateTimeOffset now)
    {
        var reported = Get(silo);
        var queue = new SiloQueue(silo, slots, reported?.Busy ?? 0, reported?.Queued ?? 0, reported?.Shapes ?? [], reported?.Device ?? "");
        lock (_lock)
        {
            _pending.RemoveAll(p => now - p.At > PendingLifetime);
            return _pending.Where(p => p.Silo == silo).Aggregate(queue, (q, p) => q.With(p.Iteration));
        }
    }

    private bool Shown(Placement placement) =>
        _board.TryGetValue(placement.Silo, out var report)
        && (report.Iterations.Contains(placement.Key, StringComparer.Ordinal) || report.UpdatedAt - placement.At > Settle);
}
