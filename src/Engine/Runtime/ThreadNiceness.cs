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

    [DllImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static extern int SetScheduler(int pid, int policy, ref int priority);

    [DllImport("libc", EntryPoint = "sched_getscheduler", SetLastError = true)]
    private static extern int GetScheduler(int pid);

    private const int SchedIdle = 5;
    private const int SchedOther = 0;

    /// <summary>
    /// Puts the calling thread in Linux's idle scheduling class (SCHED_IDLE): it runs only on a core nothing else wants,
    /// and any normal thread that wakes takes the core from it at once. A nice value only lowers a thread's share: a
    /// niced analysis still holds a core for its time slice while a training thread's OpenMP team-mate waits at a
    /// barrier (measured in docs/throughput.md). False where the OS has no such class.
    /// </summary>
    public static bool UseIdleClassForCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        int priority = 0;
        if (SetScheduler(GetTid(), SchedIdle, ref priority) != 0)
        {
            throw new InvalidOperationException($"sched_setscheduler(SCHED_IDLE) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return true;
    }

    /// <summary>The calling thread's kernel thread id (Linux), for <see cref="LeaveIdleClass"/> and <see cref="CpuAndWait"/>
    /// from another thread; 0 elsewhere.</summary>
    public static int CurrentThreadId() => OperatingSystem.IsLinux() ? GetTid() : 0;

    /// <summary>Moves thread <paramref name="tid"/> of this process from the idle class back to the normal one at nice
    /// <paramref name="nice"/>. Unprivileged processes may do so only as far as their RLIMIT_NICE allows: false when the
    /// kernel refuses (or the OS has no such class).</summary>
    public static bool LeaveIdleClass(int tid, int nice)
    {
        if (!OperatingSystem.IsLinux() || tid == 0)
        {
            return false;
        }

        int priority = 0;
        return SetScheduler(tid, SchedOther, ref priority) == 0 && SetPriority(PriorityProcess, tid, Math.Clamp(nice, 0, 19)) == 0;
    }

    /// <summary>Nanoseconds thread <paramref name="tid"/> of this process has run on a CPU and has waited, runnable, for
    /// one (/proc/self/task/TID/schedstat); null where that is not available.</summary>
    public static (long Cpu, long Waiting)? CpuAndWait(int tid)
    {
        try
        {
            string[] fields = File.ReadAllText($"/proc/self/task/{tid}/schedstat").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 2 && long.TryParse(fields[0], out long cpu) && long.TryParse(fields[1], out long waiting) ? (cpu, waiting) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when the calling thread is in the idle scheduling class.</summary>
    public static bool CurrentThreadIsIdleClass() => OperatingSystem.IsLinux() && GetScheduler(GetTid()) == SchedIdle;

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
