using System.Collections.Concurrent;
using Grid.Engine.Runtime;

namespace Grid.Grains.Analysis;

/// <summary>
/// Keeps analyses in Linux's idle scheduling class from waiting forever. The idle class makes an analysis yield to
/// this silo's training, as intended, but also to any other process: beside a build or a second sweep that fill every
/// core, an analysis got no CPU at all and its sweep stayed in "Analysing" until the load went. Every
/// <paramref name="window"/> this looks at each analysis running in the idle class; one that got less than a quarter
/// of a core over the window while runnable, at a time when no training runs on this silo (<paramref name="trainingRuns"/>),
/// leaves the idle class at nice <paramref name="nice"/> until it ends, and goes back to the idle class after.
/// </summary>
public sealed class StarvationRescue : IDisposable
{
    private readonly ConcurrentDictionary<int, Watched> _running = new();
    private readonly TimeSpan _window;
    private readonly int _nice;
    private readonly Func<bool> _trainingRuns;
    private readonly Action<string> _log;
    private readonly Timer? _timer;
    private int _checks;

    public StarvationRescue(TimeSpan window, int nice, Func<bool> trainingRuns, Action<string> log)
    {
        _window = window;
        _nice = nice;
        _trainingRuns = trainingRuns;
        _log = log;
        if (window > TimeSpan.Zero && OperatingSystem.IsLinux())
        {
            _timer = new Timer(_ => Check(), null, window, window);
        }
    }

    /// <summary>How many times the running analyses were looked at (for tests that wait for a look).</summary>
    public int Checks => Volatile.Read(ref _checks);

    /// <summary>Runs <paramref name="work"/> on the calling (analysis) thread under watch.</summary>
    public T Watch<T>(Func<T> work)
    {
        int tid = ThreadNiceness.CurrentThreadId();
        var watched = new Watched(tid, ThreadNiceness.CpuAndWait(tid));
        _running[tid] = watched;
        try
        {
            return work();
        }
        finally
        {
            _running.TryRemove(tid, out _);
            lock (watched)
            {
                watched.Ended = true; // a look that is under way no longer raises this thread
                if (watched.Rescued)
                {
                    ThreadNiceness.UseIdleClassForCurrentThread();
                }
            }
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Check()
    {
        bool training = _trainingRuns();
        foreach (var watched in _running.Values)
        {
            var now = ThreadNiceness.CpuAndWait(watched.Tid);
            var before = watched.Last;
            watched.Last = now;
            if (watched.Rescued || training || now is not { } after || before is not { } start)
            {
                continue;
            }

            double window = _window.TotalMilliseconds * 1e6;
            double cpu = after.Cpu - start.Cpu, waiting = after.Waiting - start.Waiting;
            if (cpu < 0.25 * window && waiting > 0.5 * window)
            {
                bool rescued;
                lock (watched)
                {
                    if (watched.Ended)
                    {
                        continue;
                    }

                    rescued = watched.Rescued = ThreadNiceness.LeaveIdleClass(watched.Tid, _nice);
                }

                _log(rescued
                    ? $"an analysis got {cpu / window:P0} of a core over {_window.TotalSeconds:F0} s while no training ran here (other processes hold the cores): it leaves the idle class at nice {_nice} until it ends"
                    : "an analysis starves in the idle class, and the kernel refuses to raise it (RLIMIT_NICE); set Grid:AnalysisIdleClass=false on machines shared with other work");
            }
        }

        Interlocked.Increment(ref _checks);
    }

    private sealed class Watched(int tid, (long Cpu, long Waiting)? last)
    {
        public int Tid { get; } = tid;
        public (long Cpu, long Waiting)? Last { get; set; } = last;
        public bool Rescued { get; set; }
        public bool Ended { get; set; }
    }
}
