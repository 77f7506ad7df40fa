using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grid.Engine.Sweeps;

namespace Grid.Grains.Telemetry;

/// <summary>What a sweep coordinator last published about its sweep (everything read from the results store).</summary>
public sealed record SweepGaugeState(
    string Sweep,
    int RunsTotal,
    int RunsDone,
    int RunsFailed,
    int IterationsDone,
    int IterationsEstimated,
    double? BestValAccuracy,
    IReadOnlyList<AxisBest> Axes,
    IReadOnlyList<RunGaugeState> Runs,
    DateTimeOffset UpdatedAt);

/// <summary>Best validation accuracy over the runs whose value on <paramref name="Axis"/> is <paramref name="Value"/>.</summary>
public sealed record AxisBest(string Axis, string Value, double BestValAccuracy);

/// <param name="Values">The run's axis values for legends: "axis=value, axis=value".</param>
public sealed record RunGaugeState(string Run, string Values, int IterationsDone, double? BestValAccuracy);

/// <summary>
/// Thread-safe registry of the sweeps coordinated in this process, read by the grid.sweep.* gauges. The coordinator
/// publishes whenever it regenerates summary.csv, from the same outcomes, so the gauges agree with the file. The
/// <see cref="Capacity"/> most recently published sweeps are kept (a finished sweep stays visible).
/// </summary>
public static class SweepBoard
{
    public const int Capacity = 32;

    private static readonly ConcurrentDictionary<string, SweepGaugeState> Sweeps = new(StringComparer.Ordinal);

    /// <summary>Publishes what summary.csv is being written from (never throws: telemetry must not break a coordinator).</summary>
    public static void Publish(SweepManifest manifest, IReadOnlyList<RunSummaryInput> runs)
    {
        try
        {
            var state = Build(manifest, runs, DateTimeOffset.UtcNow);
            Sweeps[state.Sweep] = state;
            Trim();
        }
        catch (Exception)
        {
            // A malformed manifest or outcome: the summary writer reports it; the gauges keep their last values.
        }
    }

    public static SweepGaugeState Build(SweepManifest manifest, IReadOnlyList<RunSummaryInput> runs, DateTimeOffset now)
    {
        string sweep = IterationLabels.SweepOf(manifest.Directory);
        var axes = new List<AxisBest>();
        for (int a = 0; a < manifest.Axes.Count; a++)
        {
            int axis = a;
            axes.AddRange(runs
                .Where(r => axis < r.Run.Values.Count && r.Outcomes.Count > 0)
                .GroupBy(r => r.Run.Values[axis], StringComparer.Ordinal)
                .Select(g => new AxisBest(manifest.Axes[axis], g.Key, g.SelectMany(r => r.Outcomes).Max(o => o.BestValAccuracy))));
        }

        var outcomes = runs.SelectMany(r => r.Outcomes).ToList();
        return new SweepGaugeState(
            sweep,
            RunsTotal: manifest.Runs.Count,
            RunsDone: runs.Count(r => r.PendingStatus is null),
            RunsFailed: runs.Count(r => r.PendingStatus == "failed"),
            IterationsDone: outcomes.Count,
            IterationsEstimated: runs.Sum(r => r.PendingStatus is null ? r.Outcomes.Count : Math.Max(r.Run.EstimatedIterations, r.Outcomes.Count + 1)),
            BestValAccuracy: outcomes.Count > 0 ? outcomes.Max(o => o.BestValAccuracy) : null,
            Axes: axes,
            Runs: [.. runs.Select(r => new RunGaugeState(
                r.Run.Hash,
                string.Join(", ", manifest.Axes.Select((axis, i) => $"{axis}={(i < r.Run.Values.Count ? r.Run.Values[i] : "")}")),
                r.Outcomes.Count,
                r.Outcomes.Count > 0 ? r.Outcomes.Max(o => o.BestValAccuracy) : null))],
            UpdatedAt: now);
    }

    public static SweepGaugeState? Get(string sweep) => Sweeps.TryGetValue(sweep, out var state) ? state : null;

    public static IEnumerable<Measurement<int>> ObserveSweeps(Func<SweepGaugeState, int> value) =>
        [.. Sweeps.Values.Select(s => new Measurement<int>(value(s), new KeyValuePair<string, object?>(GridMetrics.Sweep, s.Sweep)))];

    public static IEnumerable<Measurement<double>> ObserveBest() =>
        [.. Sweeps.Values.Where(s => s.BestValAccuracy is not null)
            .Select(s => new Measurement<double>(s.BestValAccuracy!.Value, new KeyValuePair<string, object?>(GridMetrics.Sweep, s.Sweep)))];

    public static IEnumerable<Measurement<double>> ObserveAxes() =>
        [.. Sweeps.Values.SelectMany(s => s.Axes.Select(a => new Measurement<double>(a.BestValAccuracy,
            new(GridMetrics.Sweep, s.Sweep), new(GridMetrics.Axis, a.Axis), new(GridMetrics.Value, a.Value))))];

    public static IEnumerable<Measurement<int>> ObserveRuns(Func<RunGaugeState, int> value) =>
        [.. Sweeps.Values.SelectMany(s => s.Runs.Select(r => new Measurement<int>(value(r),
            new(GridMetrics.Sweep, s.Sweep), new(GridMetrics.Run, r.Run), new(GridMetrics.Values, r.Values))))];

    public static IEnumerable<Measurement<double>> ObserveRunBest() =>
        [.. Sweeps.Values.SelectMany(s => s.Runs.Where(r => r.BestValAccuracy is not null).Select(r => new Measurement<double>(r.BestValAccuracy!.Value,
            new(GridMetrics.Sweep, s.Sweep), new(GridMetrics.Run, r.Run), new(GridMetrics.Values, r.Values))))];

    private static void Trim()
    {
        int excess = Sweeps.Count - Capacity;
        if (excess > 0)
        {
            foreach (var old in Sweeps.Values.OrderBy(s => s.UpdatedAt).Take(excess).ToList())
            {
                Sweeps.TryRemove(old.Sweep, out _);
            }
        }
    }
}
