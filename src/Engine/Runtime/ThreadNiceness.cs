using System.Runtime.InteropServices;

namespace Grid.Engine.Runtime;

/// <summary>
/// The Linux scheduling priority (nice value) of the calling thread. .NET's <see cref="Thread.Priority"/> has no effect
/// on Linux; a nice value is per thread there, and threads the thread starts later (libtorch's OpenMP workers) inherit it.
/// Raising it needs no privilege.
/// </summary>
public static class ThreadNiceness
{
    private const int PriorityProcess = 0;

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static extern int GetPriority(int which, int who);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();

    /// <summary>Sets the calling thread's nice value (0 normal … 19 lowest); false where the OS has no per-thread nice.</summary>
    public static bool SetForCurrentThread(int nice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nice, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        if (SetPriority(PriorityProcess, GetTid(), nice) != 0)
        {
            throw new InvalidOperationException($"setpriority({nice}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return true;
    }

    /// <summary>The calling thread's nice value (0 where the OS has no per-thread nice).</summary>
    public static int OfCurrentThread() => OperatingSystem.IsLinux() ? GetPriority(PriorityProcess, GetTid()) : 0;
}
