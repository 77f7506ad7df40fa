namespace Grid.Grains.Hosting;

/// <summary>
/// Configuration section "Grid" of a silo (appsettings.json, Grid__Key or GRID_KEY environment variables).
/// </summary>
public sealed class GridOptions
{
    public const string Section = "Grid";

    /// <summary>Training devices of this silo: cpu, cuda, cuda:N, a comma-separated list (cuda:0,cuda:1), cuda:all (every
    /// CUDA device libtorch reports) or auto (every CUDA device, else the CPU).</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Iterations each device trains at once; 0 = this silo never trains (coordination and analysis only). Unset:
    /// one slot per core on the CPU (the slots share the cores: a slot training alone has them all), one per CUDA device.</summary>
    public int? DeviceSlots { get; set; }

    /// <summary>Results store; must be the same shared directory on every silo of a cluster.</summary>
    public string ResultsRoot { get; set; } = "results";

    /// <summary>How often a training iteration reports its progress to its run and a run its status to its sweep's
    /// coordinator (so how fresh a watched sweep's progress is), and how often runs and coordinators check on silence,
    /// retries and analyses, in milliseconds.</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>libtorch intra-op threads of each training slot; 0 = CPU slots share the cores (each busy slot an equal
    /// share of them, one training alone all of them; <c>CoreShare</c>), other slots an equal share of the cores.</summary>
    public int TorchThreads { get; set; }

    /// <summary>With TorchThreads = 0: a slot trains with fewer threads while other processes keep cores busy (see
    /// <c>ThreadBudget</c>); false keeps the equal share.</summary>
    public bool AdaptiveThreads { get; set; } = true;

    /// <summary>With adaptive threads: a slot also times its own steps at each thread count from time to time and trains
    /// with the fastest (<c>ThreadTrial</c>); false keeps the count calibration chose.</summary>
    public bool ThreadTrials { get; set; } = true;

    /// <summary>The most iterations one slot trains at once as a bundle (one batched model); the trainer's own limit for
    /// the spec and slot may be lower. 1 = every iteration trains alone.</summary>
    public int MaxBundle { get; set; } = 8;

    /// <summary>How long an iteration that could share a bundle waits from its arrival for more of its kind to queue,
    /// in milliseconds, while fewer are queued than the free slots can take. Never waited when bundles are of one.</summary>
    public int BundleGatherMilliseconds { get; set; } = 500;

    /// <summary>Whether <c>training.bundle: auto</c> may bundle on CPU slots (by the host's measurement). Off by default:
    /// measured on a 2-core CPU, auto's choices trained experiments/cpu/tasks.yaml x1.09–x1.16 slower than alone
    /// (docs/throughput.md); a spec that sets K bundles on any device.</summary>
    public bool AutoBundlesOnCpu { get; set; }

    /// <summary>Threads that compute analyses of finished iterations, each with one libtorch thread; 0 (the default) = one
    /// per core, at most <see cref="MaxDefaultAnalysisThreads"/>. They run in the idle class, so more threads only use
    /// cores training leaves idle: with one, a sweep's analyses queued behind its training and then ran on one core
    /// while the others idled (docs/throughput.md).</summary>
    public int AnalysisThreads { get; set; }

    /// <summary>The default's cap: locality, the costliest analysis, allocates up to about 160 MB for a quickstart-size network, more for the paper's.</summary>
    public const int MaxDefaultAnalysisThreads = 4;

    /// <summary>The analysis threads a silo starts (<see cref="AnalysisThreads"/> resolved).</summary>
    public int AnalysisThreadCount => AnalysisThreads > 0 ? AnalysisThreads : Math.Min(Environment.ProcessorCount, MaxDefaultAnalysisThreads);

    /// <summary>Nice value (0 normal … 19 lowest) of the analysis threads, so that training keeps its cores.</summary>
    public int AnalysisNice { get; set; } = 10;

    /// <summary>Analysis threads in Linux's idle scheduling class (SCHED_IDLE): they run only on cores training leaves
    /// idle, and give a core back the moment a training thread wakes.</summary>
    public bool AnalysisIdleClass { get; set; } = true;

    /// <summary>An analysis in the idle class that got less than a quarter of a core over this many seconds while no
    /// training ran on this silo (other processes hold the cores) leaves the idle class, at nice AnalysisNice, until it
    /// ends; 0 never. Analyses yield to this silo's training, not to other processes.</summary>
    public int AnalysisStarvedSeconds { get; set; } = 10;

    /// <summary>Period of the reminder an unfinished sweep's coordinator holds, in seconds: after its silo died, the
    /// coordinator is reactivated on another silo within this period and resumes its sweep with no client attached.</summary>
    public int ReminderSeconds { get; set; } = 60;

    /// <summary>Retries of an iteration that failed transiently (an I/O error, a timeout, out of memory) or whose stored
    /// inputs had to be trained again, before its run fails with the reason. Permanent failures are never retried.</summary>
    public int RetryLimit { get; set; } = 3;

    /// <summary>Wait before the first retry, in milliseconds; doubles with every retry, up to a minute.</summary>
    public int RetryDelayMilliseconds { get; set; } = 2000;

    /// <summary>How long a run keeps asking for an iteration it cannot reach (its silo died, no silo has device slots),
    /// backing off, before it fails, in seconds.</summary>
    public int UnreachableSeconds { get; set; } = 600;

    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(Math.Clamp(PollMilliseconds, 20, 60_000));

    /// <summary>
    /// How long a run goes without a report from its current iteration or a running analysis, or a coordinator without a
    /// report from a run it drives (which all report at least every poll interval), before it asks again: three poll
    /// intervals, and at least 5 s, so that timers a busy machine delays are not taken for a lost grain.
    /// </summary>
    public TimeSpan ReportSilence => TimeSpan.FromTicks(Math.Max(3 * PollInterval.Ticks, TimeSpan.FromSeconds(5).Ticks));

    public string ResultsPath => Path.GetFullPath(ResultsRoot);
}
