using System.Diagnostics;

namespace Grid.Tests.Shared;

/// <summary>How the tests wait for and end the processes they start.</summary>
public static class ProcessEnding
{
    /// <summary>True when the process exited within <paramref name="bound"/> (its redirected output read to the end).</summary>
    public static async Task<bool> ExitsWithinAsync(this Process process, TimeSpan bound)
    {
        using var cancel = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process and its children if it still runs, waits for it a little, and releases it.</summary>
    public static void KillTreeAndDispose(this Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.Dispose();
    }
}
