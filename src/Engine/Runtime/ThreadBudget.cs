using System.Diagnostics;

namespace Grid.Engine.Runtime;

/// <summary>
/// The libtorch threads of one training thread (a device slot). It starts at <see cref="Max"/>, its fair share of the
/// cores. When it is adaptive, <see cref="Refresh"/> (called between steps, on the owning thread) samples how many cores
/// other processes keep busy once a second and trains with the cores left (at least one, at most <see cref="Max"/>);
/// a change needs two samples in a row that agree, so a short burst does not make it flap. Why: an OpenMP team is only
/// as fast as its slowest thread, so a team of two on a machine whose other core is taken waits on every barrier for a
/// thread that is not running; one thread on the free core is faster (measured in docs/throughput.md). A budget of a
/// slot that shares the cores with other slots (<see cref="CoreShare"/>) also trains with at most its share of them.
/// </summary>
public sealed class ThreadBudget
{
    private static readonly long SampleTicks = Stopwatch.Frequency; // one second
    private readonly CpuLoad? _load;
    private readonly CoreShare? _share;
    private readonly int _machineCores;
    private bool _started;
    private long _nextSample;
    private int _pending;
    private int _pendingCount;

    /// <param name="max">threads when the machine is otherwise idle</param>
    /// <param name="load">other processes' CPU use, or null for a fixed budget</param>
    /// <param name="machineCores">the cores this process may use (default: <see cref="Environment.ProcessorCount"/>)</param>
    /// <param name="share">the cores this slot shares with other slots, or null for a slot of its own</param>
    public ThreadBudget(int max, CpuLoad? load, int? machineCores = null, CoreShare? share = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        Max = max;
        Ceiling = max;
        Threads = max;
        Available = max;
        _load = load;
        _share = share;
        _machineCores = machineCores ?? Environment.ProcessorCount;
    }

    /// <summary>The current thread count of <paramref name="budget"/> as the engine's CPU loops read it, each time they run
    /// (one thread without a budget).</summary>
    public static Func<int> CountOf(ThreadBudget? budget) => () => budget?.Threads ?? 1;

    /// <summary>A fixed budget of <paramref name="threads"/>.</summary>
    public static ThreadBudget Fixed(int threads) => new(threads, load: null);

    /// <summary>
    /// The budget of one of <paramref name="slots"/> training threads: <paramref name="threads"/> when set (fixed), else
    /// an equal share of the cores, adaptive where this process may use every core of the machine. In a container
    /// limited to fewer cores than the machine has, other tenants' load says nothing about this container's share,
    /// so the share stays fixed.
    /// </summary>
    public static ThreadBudget ForSlot(int slots, int threads = 0)
    {
        if (threads > 0)
        {
            return Fixed(threads);
        }

        int share = Math.Max(1, Environment.ProcessorCount / Math.Max(1, slots));
        return MachineLoad() is { } load ? new ThreadBudget(share, load) : Fixed(share);
    }

    /// <summary>
    /// The budget of one of the CPU slots that share <paramref name="share"/>'s cores: at most every core, at most its
    /// share of them while other slots train, and adaptive to other processes' load where this process may use every core
    /// of the machine (as <see cref="ForSlot"/>).
    /// </summary>
    public static ThreadBudget ForSharedSlot(CoreShare share) => new(share.Cores, MachineLoad(), share: share);

    /// <summary>Other processes' load, where this process may use every core of the machine; else null.</summary>
    private static CpuLoad? MachineLoad()
    {
        var load = new CpuLoad();
        return load.MachineCores() == Environment.ProcessorCount ? load : null;
    }

    public int Max { get; }

    /// <summary>Whether training may time its own steps at each count and keep the fastest (<c>ThreadTrial</c>), where the
    /// budget is adaptive. Set before training starts.</summary>
    public bool Trials { get; set; } = true;

    /// <summary>Whether the thread count may change between steps (other processes' load, other slots' share).</summary>
    public bool Adaptive => _load is not null || _share is not null;

    /// <summary>The cores this slot may use now: <see cref="Max"/>, or its share while other slots train.</summary>
    private int ShareCap => _share is null ? Max : Math.Min(Max, _share.PerSlot);

    /// <summary>The threads the owning thread trains with now.</summary>
    public int Threads { get; private set; }

    /// <summary>How many times the budget changed since it started (for logs and tests).</summary>
    public int Changes { get; private set; }

    /// <summary>Applies the budget to the calling thread (the thread that trains) and starts the load samples, the first
    /// time; later calls do nothing. A budget belongs to one thread.</summary>
    public void EnsureStarted()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        Threads = Math.Min(Threads, ShareCap);
        TorchThreads.UseOnCurrentThread(Threads);
        _load?.OtherCores();
        _nextSample = Stopwatch.GetTimestamp() + SampleTicks;
    }

    /// <summary>The most threads the current work may use (at most <see cref="Max"/>); load only lowers it further.</summary>
    public int Ceiling { get; private set; }

    /// <summary>Caps the calling thread's work at <paramref name="threads"/> (clamped to 1..<see cref="Max"/>) and trains with
    /// that many now (with <paramref name="fixedCount"/> false, no more than the slot's share of the cores), e.g. the
    /// fastest count measured for a network; <paramref name="fixedCount"/> for work whose result would change with the
    /// count, which must then always get the same count, whatever other slots do.</summary>
    public void UseCeiling(int threads, bool fixedCount = false)
    {
        EnsureStarted();
        Ceiling = Math.Clamp(threads, 1, Max);
        _pendingCount = 0;
        int now = fixedCount ? Ceiling : Math.Min(Ceiling, ShareCap);
        if (Threads != now)
        {
            Use(now);
        }
    }

    /// <summary>Cheap unless a second has passed since the last sample; then may change the calling thread's threads.</summary>
    public void Refresh()
    {
        EnsureStarted();
        if (Threads > ShareCap)
        {
            // Another slot started: give its cores up at once (the share is exact, unlike a load sample).
            _pendingCount = 0;
            Use(ShareCap);
        }

        if (!Adaptive || Stopwatch.GetTimestamp() < _nextSample)
        {
            return;
        }

        _nextSample = Stopwatch.GetTimestamp() + SampleTicks;
        double others = 0;
        if (_load is not null)
        {
            if (_load.OtherCores() is not { } measured)
            {
                return;
            }

            others = measured;
        }

        Available = CoresLeft(others);
        Consider(Target(others));
    }

    /// <summary>The threads to use when other processes keep <paramref name="otherCores"/> busy (and, for a shared slot,
    /// while the other slots train as they do now).</summary>
    public int Target(double otherCores) => Math.Min(Ceiling, CoresLeft(otherCores));

    /// <summary>The cores other processes leave when they keep <paramref name="otherCores"/> busy, within the slot's share
    /// (at least 1).</summary>
    private int CoresLeft(double otherCores) =>
        Math.Clamp((int)Math.Round(_machineCores - otherCores, MidpointRounding.AwayFromZero), 1, ShareCap);

    /// <summary>The cores other processes left at the last sample (at most <see cref="Max"/>, and for a shared slot its
    /// share): what work that runs faster
    /// on more threads (validation) may use beyond <see cref="Ceiling"/>.</summary>
    public int Available { get; private set; }

    /// <summary>The cores the owning thread's work may use now: <see cref="Available"/> within the slot's share.</summary>
    public int Usable => Math.Min(Available, ShareCap);

    /// <summary>Runs <paramref name="work"/> on the calling thread with <see cref="Usable"/> threads, then goes back to
    /// <see cref="Threads"/>. For work whose result does not depend on the count.</summary>
    public T WithAvailable<T>(Func<T> work)
    {
        EnsureStarted();
        int available = Usable;
        if (available == Threads)
        {
            return work();
        }

        TorchThreads.UseOnCurrentThread(available);
        try
        {
            return work();
        }
        finally
        {
            TorchThreads.UseOnCurrentThread(Threads);
        }
    }

    private void Consider(int target)
    {
        if (target == Threads)
        {
            _pendingCount = 0;
            return;
        }

        _pendingCount = target == _pending ? _pendingCount + 1 : 1;
        _pending = target;
        if (_pendingCount >= 2)
        {
            _pendingCount = 0;
            Use(target);
        }
    }

    /// <summary>Trains with <paramref name="threads"/> from now on (the calling thread is the owning one).</summary>
    private void Use(int threads)
    {
        Threads = threads;
        Changes++;
        TorchThreads.UseOnCurrentThread(Threads);
    }
}
