namespace Grid.Engine.Runtime;

/// <summary>The engine's loops split between threads: the tasks run on up to a slot's thread count when there is enough
/// work to pay for a parallel loop (a few microseconds), else in order on the calling thread.</summary>
public static class ParallelWork
{
    /// <summary>Below this many elements of work a loop stays on the calling thread.</summary>
    public const long ParallelFrom = 65_536;

    public static void Run(int tasks, int threads, long work, Action<int> task)
    {
        if (threads <= 1 || tasks <= 1 || work < ParallelFrom)
        {
            for (int t = 0; t < tasks; t++)
            {
                task(t);
            }

            return;
        }

        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads }, task);
    }
}
