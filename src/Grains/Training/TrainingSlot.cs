using Grid.Engine.Runtime;

namespace Grid.Grains.Training;

/// <summary>
/// One device slot: the device it trains on, its own long-lived training thread and that thread's libtorch budget.
/// The trainer applies <see cref="Threads"/> on the slot's thread before its first step. A slot that shares the cores
/// with other slots (<see cref="CoreShare"/>) counts as busy in the share while it trains.
/// </summary>
public sealed class TrainingSlot : IDisposable
{
    private readonly WorkerThreads _thread;
    private readonly CoreShare? _share;
    private bool _busy;

    public TrainingSlot(int index, string device, ThreadBudget threads, CoreShare? share = null)
    {
        Index = index;
        Device = device;
        Threads = threads;
        _share = share;
        _thread = new WorkerThreads(1, $"grid-train {device} slot {index}");
    }

    public int Index { get; }

    public string Device { get; }

    public ThreadBudget Threads { get; }

    /// <summary>True while an iteration trains on the slot.</summary>
    public bool IsBusy { get => Volatile.Read(ref _busy); internal set => Volatile.Write(ref _busy, value); }

    /// <summary>Runs <paramref name="work"/> on the slot's thread.</summary>
    public Task<T> Run<T>(Func<T> work) => _thread.Run(() =>
    {
        using var busy = _share?.Occupy();
        return work();
    });

    public void Dispose() => _thread.Dispose();
}
