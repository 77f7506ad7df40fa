namespace Grid.Grains;

/// <summary>The cluster's view of device slots (key 0); in memory only, rebuilt within seconds after a failover.</summary>
public sealed class SlotBoardGrain : Grain, ISlotBoardGrain
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);
    private readonly Dictionary<string, SiloSlots> _silos = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<SiloSlots>> Report(SiloSlots slots)
    {
        var now = DateTimeOffset.UtcNow;
        _silos[slots.Silo] = slots with { UpdatedAt = now };
        foreach (var stale in _silos.Where(s => now - s.Value.UpdatedAt > Expiry).Select(s => s.Key).ToList())
        {
            _silos.Remove(stale);
        }

        return Task.FromResult<IReadOnlyList<SiloSlots>>([.. _silos.Values]);
    }
}
