namespace Grid.Engine.Runtime;

/// <summary>
/// The cores that a silo's CPU training slots share: each busy slot may train with an equal share of them, so a slot
/// that trains alone has every core, and two busy slots half each. Why not a fixed share per slot: a sweep of small
/// networks keeps every slot busy and trains each run fastest on one core (docs/throughput.md), while a single run of a
/// large network wants every core. A slot's thread count may follow the others' comings and goings because thread
/// counts change no bits (docs/throughput.md §2).
/// </summary>
public sealed class CoreShare(int cores)
{
    private int _busy;

    public int Cores { get; } = Math.Max(1, cores);

    /// <summary>Slots training now.</summary>
    public int Busy => Volatile.Read(ref _busy);

    /// <summary>The cores of each busy slot now (at least 1; a slot about to start counts itself).</summary>
    public int PerSlot => Math.Max(1, Cores / Math.Max(1, Busy));

    /// <summary>Counts the caller's slot busy until the result is disposed.</summary>
    public IDisposable Occupy()
    {
        Interlocked.Increment(ref _busy);
        return new Occupancy(this);
    }

    private sealed class Occupancy(CoreShare share) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref share._busy);
            }
        }
    }
}
