using static TorchSharp.torch;

namespace Grid.Engine.Runtime;

/// <summary>
/// libtorch's intra-op thread count for the calling thread. With OpenMP the count is a per-thread setting, but
/// <c>set_num_threads</c> also stores a process-wide value that every thread copies on its first parallel operation.
/// Setting the count and reading it back under one lock makes this thread take its own count now, so threads of the
/// same process (a training slot with two, an analysis with one) keep different budgets.
/// </summary>
public static class TorchThreads
{
    private static readonly Lock Gate = new();

    /// <summary>Gives the calling thread's libtorch work <paramref name="threads"/> threads; returns the count in effect.</summary>
    public static int UseOnCurrentThread(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        TorchRuntime.EnsureLoaded();
        lock (Gate)
        {
            set_num_threads(threads);
            return get_num_threads();
        }
    }

    /// <summary>The calling thread's current count.</summary>
    public static int OfCurrentThread()
    {
        TorchRuntime.EnsureLoaded();
        lock (Gate)
        {
            return get_num_threads();
        }
    }
}
