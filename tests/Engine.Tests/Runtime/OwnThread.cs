namespace Grid.Engine.Tests;

/// <summary>Thread counts are per thread: tests that set them do it on a thread of their own, not on a pooled test thread.</summary>
internal static class OwnThread
{
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
