using System.Collections.Concurrent;

namespace Grid.Grains.Training;

/// <summary>
/// One long-lived thread per device slot, started on first use. Training every iteration on the same threads keeps
/// libtorch's per-thread state (its OpenMP team, allocator caches) warm from one iteration to the next, as the engine
/// alone does; a fresh thread per iteration rebuilt it each time. Never the Orleans scheduler, never the thread pool.
/// </summary>
public sealed class SlotThreads : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly int _count;
    private readonly string _name;
    private readonly Lazy<Thread[]> _threads;

    public SlotThreads(int count, string name)
    {
        _count = count;
        _name = name;
        _threads = new Lazy<Thread[]>(StartThreads, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Runs the work on one of the slot threads; at most <c>count</c> items run at once, the rest wait.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        _ = _threads.Value;
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception error)
            {
                completion.SetException(error);
            }
        });
        return completion.Task;
    }

    public void Dispose() => _work.CompleteAdding();

    private Thread[] StartThreads()
    {
        var threads = new Thread[Math.Max(1, _count)];
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(Drain) { IsBackground = true, Name = $"{_name} {i}" };
            threads[i].Start();
        }

        return threads;
    }

    private void Drain()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
