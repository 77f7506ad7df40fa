namespace Grid.Engine.Tests;

/// <summary>Thread counts are per thread: tests that set them do it on a thread of their own, not on a pooled test thread.</summary>
internal static class OwnThread
{
    /// <summary>
    /// Runs <paramref name="body"/> on a new thread with <paramref name="torchThreads"/> libtorch threads. A test thread
    /// otherwise takes the count that another test last set for the process (4, in the core-share tests), and above the
    /// machine's cores some products change their bits.
    /// </summary>
    public static void Run(int torchThreads, Action body) => Run(() =>
    {
        Grid.Engine.Runtime.TorchThreads.UseOnCurrentThread(torchThreads);
        body();
    });

    /// <summary>Runs <paramref name="body"/> on a new thread, waits for it, and rethrows what it threw.</summary>
    public static void Run(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }
}
