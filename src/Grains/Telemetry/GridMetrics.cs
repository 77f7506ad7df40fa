using System.Diagnostics.Metrics;
using System.Reflection;

namespace Grid.Grains.Telemetry;

/// <summary>
/// The grid's instruments: one <see cref="Meter"/> named <see cref="MeterName"/>, OpenTelemetry semantic names
/// (dotted, unit in UCUM / curly-brace annotations). Counters and histograms are recorded by the instrumented trainer
/// and analyzer; the gauges read <see cref="TrainingBoard"/>, <see cref="SiloBoard"/> and <see cref="SweepBoard"/>
/// when a reader collects. Tags are bounded: sweep (directory name), run (hash), iteration, silo (host:port), analysis
/// name, axis and axis value; never a step, loss or other per-step value. docs/metrics.md lists every instrument with
/// its Prometheus name.
/// </summary>
public static class GridMetrics
{
    public const string MeterName = "Grid";

    public static readonly string Version = ReadVersion();

    public static readonly Meter Meter = new(MeterName, Version);

    // Tag names.
    public const string Sweep = "sweep";
    public const string Run = "run";
    public const string Iteration = "iteration";
    public const string Silo = "silo";
    public const string Device = "device";
    public const string Analysis = "analysis";
    public const string Axis = "axis";
    public const string Value = "value";
    public const string Values = "values";

    private static readonly double[] StepSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly int[] BundleSizes = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32];
    private static readonly double[] LongSeconds = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800];

    // Training (silo that trains).
    public static readonly Counter<long> TrainingSteps = Meter.CreateCounter<long>(
        "grid.training.steps", "{step}", "SGD steps trained on this silo.");

    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>(
        "grid.training.step.duration", "s",
        "Wall time per training step, sampled once per validation window (the window's mean, validation included).",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StepSeconds });

    public static readonly Counter<long> IterationsStarted = Meter.CreateCounter<long>(
        "grid.iterations.started", "{iteration}", "Pruning iterations whose training started on this silo.");

    public static readonly Counter<long> IterationsFinished = Meter.CreateCounter<long>(
        "grid.iterations.finished", "{iteration}", "Pruning iterations trained to the end on this silo (artifacts written).");

    public static readonly Counter<long> IterationsReused = Meter.CreateCounter<long>(
        "grid.iterations.reused", "{iteration}", "Pruning iterations taken from the run store instead of trained (another run or sweep trained them).");

    public static readonly Counter<long> IterationsFailed = Meter.CreateCounter<long>(
        "grid.iterations.failed", "{iteration}", "Pruning iterations whose training threw (divergence, bad data, ...).");

    public static readonly Counter<long> IterationsCancelled = Meter.CreateCounter<long>(
        "grid.iterations.cancelled", "{iteration}", "Pruning iterations cancelled while training (sweep cancelled, silo stopping).");

    public static readonly Histogram<double> IterationDuration = Meter.CreateHistogram<double>(
        "grid.iteration.duration", "s",
        "Wall time of one trained iteration: data loading, training, pruning and writing its artifacts.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LongSeconds });

    public static readonly Histogram<int> BundleMembers = Meter.CreateHistogram<int>(
        "grid.bundle.members", "{iteration}",
        "Iterations trained together as one bundle on a slot, per bundle (1 = alone).",
        tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BundleSizes });

    // Analyses (any silo).
    public static readonly Counter<long> AnalysesStarted = Meter.CreateCounter<long>(
        "grid.analyses.started", "{analysis}", "Analyses of finished iterations started on this silo.");

    public static readonly Counter<long> AnalysesFinished = Meter.CreateCounter<long>(
        "grid.analyses.finished", "{analysis}", "Analyses of finished iterations completed on this silo.");

    public static readonly Counter<long> AnalysesFailed = Meter.CreateCounter<long>(
        "grid.analyses.failed", "{analysis}", "Analyses of finished iterations that threw on this silo.");

    public static readonly Histogram<double> AnalysisDuration = Meter.CreateHistogram<double>(
        "grid.analysis.duration", "s", "Wall time of one analysis of one iteration.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LongSeconds });

    static GridMetrics()
    {
        // Live state of the iterations this silo trains (per sweep, run and iteration).
        Meter.CreateObservableGauge("grid.validation.accuracy", () => TrainingBoard.Observe(s => s.ValAccuracy), "1",
            "Latest validation top-1 accuracy of an iteration (live while it trains, its last value once finished).");
        Meter.CreateObservableGauge("grid.validation.accuracy.best", () => TrainingBoard.Observe(s => s.BestValAccuracy), "1",
            "Best validation top-1 accuracy of an iteration so far (its best_val_accuracy once finished).");
        Meter.CreateObservableGauge("grid.unpruned.fraction", () => TrainingBoard.Observe(s => s.UnprunedFraction), "1",
            "Fraction of prunable weights still unpruned while the iteration trains.");
        Meter.CreateObservableGauge("grid.iteration.progress", () => TrainingBoard.Observe(s => s.Progress), "1",
            "Fraction of the iteration's training steps done.");

        // Device slots of this silo.
        Meter.CreateObservableUpDownCounter("grid.device.slots", () => SiloBoard.ObservePerDevice(d => d.Slots), "{slot}",
            "Device slots of this silo per device (iterations it trains at once).");
        Meter.CreateObservableUpDownCounter("grid.device.slots.busy", () => SiloBoard.ObservePerDevice(d => d.Busy), "{slot}",
            "Device slots of this silo per device that are training an iteration.");
        Meter.CreateObservableUpDownCounter("grid.work.queued", () => SiloBoard.ObservePerSilo(s => s.Queued), "{iteration}",
            "Iterations placed on this silo and waiting for a free device slot.");

        // Aggregates of the sweep coordinators active on this silo (from the results store).
        Meter.CreateObservableUpDownCounter("grid.sweep.runs", () => SweepBoard.ObserveSweeps(s => s.RunsTotal), "{run}",
            "Runs of the sweep.");
        Meter.CreateObservableUpDownCounter("grid.sweep.runs.done", () => SweepBoard.ObserveSweeps(s => s.RunsDone), "{run}",
            "Runs of the sweep whose last iteration finished.");
        Meter.CreateObservableUpDownCounter("grid.sweep.runs.failed", () => SweepBoard.ObserveSweeps(s => s.RunsFailed), "{run}",
            "Runs of the sweep that stopped on a failed iteration.");
        Meter.CreateObservableUpDownCounter("grid.sweep.iterations.done", () => SweepBoard.ObserveSweeps(s => s.IterationsDone), "{iteration}",
            "Finished iterations of the sweep (rows of summary.csv with status finished).");
        Meter.CreateObservableUpDownCounter("grid.sweep.iterations.estimated", () => SweepBoard.ObserveSweeps(s => s.IterationsEstimated), "{iteration}",
            "Estimated iterations of the whole sweep (finished runs count what they did; the stop criterion decides the rest).");
        Meter.CreateObservableGauge("grid.sweep.validation.accuracy.best", () => SweepBoard.ObserveBest(), "1",
            "Best validation accuracy over every finished iteration of the sweep (max best_val_accuracy of summary.csv).");
        Meter.CreateObservableGauge("grid.sweep.axis.validation.accuracy.best", () => SweepBoard.ObserveAxes(), "1",
            "Best validation accuracy over the finished iterations of the runs with one value on one sweep axis.");
        Meter.CreateObservableUpDownCounter("grid.sweep.run.iterations.done", () => SweepBoard.ObserveRuns(r => r.IterationsDone), "{iteration}",
            "Finished iterations of one run of the sweep.");
        Meter.CreateObservableGauge("grid.sweep.run.validation.accuracy.best", () => SweepBoard.ObserveRunBest(), "1",
            "Best validation accuracy over the finished iterations of one run.");
    }

    private static string ReadVersion()
    {
        string? version = typeof(GridMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(version))
        {
            return "1.0.0";
        }

        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }

    /// <summary>Touches the static instruments (the static constructor) so that the gauges exist before the first reading.</summary>
    public static void EnsureCreated() => _ = Meter;
}
