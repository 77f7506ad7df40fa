using System.Collections.Concurrent;

namespace Grid.Grains.Training;

/// <summary>
/// One long-lived thread per device slot. Every iteration trains on these same threads, as the engine alone trains on
/// one, so libtorch's per-thread state (its OpenMP team) is built once instead of once per iteration. Never the
/// Orleans scheduler, never the thread pool.
/// </summary>
public sealed class SlotThreads : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();

    /// <param name="count">Threads to start (none for a silo without device slots).</param>
    /// <param name="name">Thread name prefix; the threads are "name 0", "name 1", ...</param>
    public SlotThreads(int count, string name)
    {
        for (int i = 0; i < count; i++)
        {
            new Thread(Drain) { IsBackground = true, Name = $"{name} {i}" }.Start();
        }
    }

    /// <summary>Runs the work on one of the slot threads; at most <c>count</c> items run at once, the rest wait.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
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

    /// <summary>Lets the threads end once the work already given has run.</summary>
    public void Dispose() => _work.CompleteAdding();

    private void Drain()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
