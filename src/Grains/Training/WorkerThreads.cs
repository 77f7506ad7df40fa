using System.Collections.Concurrent;

namespace Grid.Grains.Training;

/// <summary>
/// Long-lived threads that take work from one queue: a device slot's training thread, or the silo's analysis threads.
/// Work always runs on these same threads, as the engine alone trains on one, so libtorch's per-thread state (its
/// OpenMP team, its thread count) is set up once. Never the Orleans scheduler, never the thread pool.
/// </summary>
public sealed class WorkerThreads : IDisposable
{
    /// <summary>How long <see cref="Dispose"/> waits for work that is running to end.</summary>
    public static readonly TimeSpan StopBound = TimeSpan.FromSeconds(20);

    private readonly BlockingCollection<(Action Run, Action Cancel)> _work = new();
    private readonly List<Thread> _threads = [];
    private volatile bool _stopping;

    /// <param name="count">Threads to start (none is allowed: nothing ever runs).</param>
    /// <param name="name">Thread name prefix; the threads are "name 0", "name 1", ...</param>
    /// <param name="onStart">Runs first on each thread, with its index (e.g. to lower its priority).</param>
    public WorkerThreads(int count, string name, Action<int>? onStart = null)
    {
        for (int i = 0; i < count; i++)
        {
            int index = i;
            var thread = new Thread(() => Drain(index, onStart)) { IsBackground = true, Name = $"{name} {i}" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    /// <summary>Runs the work on one of the threads; at most <c>count</c> items run at once, the rest wait. Once the
    /// threads stop (<see cref="Dispose"/>) the task is cancelled instead.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add((() =>
            {
                try
                {
                    completion.SetResult(work());
                }
                catch (Exception error)
                {
                    completion.SetException(error);
                }
            }, () => completion.TrySetCanceled()));
        }
        catch (InvalidOperationException) when (_work.IsAddingCompleted)
        {
            completion.TrySetCanceled();
        }

        return completion.Task;
    }

    /// <summary>
    /// Cancels the work that has not started and waits for the work that is running to end (at most
    /// <see cref="StopBound"/>; cancel that work first). Why wait: a process that exits while a thread is still inside
    /// libtorch or the engine's SIMD loops runs libtorch's static destructors under it and dies of SIGSEGV (exit code 139
    /// instead of 130 after Ctrl-C).
    /// </summary>
    public void Dispose()
    {
        _stopping = true;
        _work.CompleteAdding();
        var deadline = DateTime.UtcNow + StopBound;
        foreach (var thread in _threads.Where(t => t != Thread.CurrentThread))
        {
            var left = deadline - DateTime.UtcNow;
            thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    private void Drain(int index, Action<int>? onStart)
    {
        onStart?.Invoke(index);
        foreach (var (run, cancel) in _work.GetConsumingEnumerable())
        {
            if (_stopping)
            {
                cancel();
            }
            else
            {
                run();
            }
        }
    }
}
