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
    private readonly List<(string Silo, DateTimeOffset At)> _pending = [];

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

    public void RecordPlacement(string silo, DateTimeOffset now)
    {
        lock (_lock)
        {
            _pending.Add((silo, now));
        }
    }

    /// <summary>Busy + queued jobs of <paramref name="silo"/> as last reported, plus placements made here since.</summary>
    public int LoadOf(string silo, DateTimeOffset now) =>
        (Get(silo) is { } reported ? reported.Busy + reported.Queued : 0) + PendingPlacements(silo, now);

    /// <summary>Placements on <paramref name="silo"/> made by this silo since the last board refresh.</summary>
    public int PendingPlacements(string silo, DateTimeOffset now)
    {
        lock (_lock)
        {
            _pending.RemoveAll(p => now - p.At > PendingLifetime);
            return _pending.Count(p => p.Silo == silo);
        }
    }
}
