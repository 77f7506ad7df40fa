using System.Collections.Concurrent;

namespace Grid.Grains.Training;

/// <summary>
/// Long-lived threads that take work from one queue: a device slot's training thread, or the silo's analysis threads.
/// Work always runs on these same threads, as the engine alone trains on one, so libtorch's per-thread state (its
/// OpenMP team, its thread count) is set up once. Never the Orleans scheduler, never the thread pool.
/// </summary>
public sealed class WorkerThreads : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();

    /// <param name="count">Threads to start (none is allowed: nothing ever runs).</param>
    /// <param name="name">Thread name prefix; the threads are "name 0", "name 1", ...</param>
    /// <param name="onStart">Runs first on each thread, with its index (e.g. to lower its priority).</param>
    public WorkerThreads(int count, string name, Action<int>? onStart = null)
    {
        for (int i = 0; i < count; i++)
        {
            int index = i;
            new Thread(() => Drain(index, onStart)) { IsBackground = true, Name = $"{name} {i}" }.Start();
        }
    }

    /// <summary>Runs the work on one of the threads; at most <c>count</c> items run at once, the rest wait.</summary>
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

    private void Drain(int index, Action<int>? onStart)
    {
        onStart?.Invoke(index);
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
