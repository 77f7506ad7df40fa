using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Grid.Grains.Telemetry;

/// <summary>Latest known state of one iteration trained in this process.</summary>
public sealed record IterationGaugeState(
    string Silo,
    double? ValAccuracy,
    double? BestValAccuracy,
    double? UnprunedFraction,
    double Progress,
    bool Active,
    DateTimeOffset UpdatedAt);

/// <summary>
/// Thread-safe registry of the iterations trained in this process, read by the per-iteration gauges. Written by the
/// training thread (progress reports), read by the metrics reader. Finished iterations stay visible for
/// <see cref="Retention"/> (so a scrape after the end still sees the final values), and at most
/// <see cref="Capacity"/> iterations are kept: the oldest inactive ones go first.
/// </summary>
public static class TrainingBoard
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(6);
    public const int Capacity = 4096;

    private static readonly ConcurrentDictionary<IterationLabels, IterationGaugeState> States = new();

    public static void Begin(IterationLabels labels, string silo) =>
        States[labels] = new IterationGaugeState(silo, null, null, null, 0, Active: true, DateTimeOffset.UtcNow);

    public static void Update(IterationLabels labels, Func<IterationGaugeState, IterationGaugeState> change)
    {
        while (States.TryGetValue(labels, out var current))
        {
            if (States.TryUpdate(labels, change(current) with { UpdatedAt = DateTimeOffset.UtcNow }, current))
            {
                return;
            }
        }
    }

    /// <summary>Marks the iteration ended; the final values of a finished one are those of its outcome.</summary>
    public static void End(IterationLabels labels, Func<IterationGaugeState, IterationGaugeState>? change = null)
    {
        Update(labels, s => (change?.Invoke(s) ?? s) with { Active = false });
        Trim();
    }

    public static IterationGaugeState? Get(IterationLabels labels) => States.TryGetValue(labels, out var state) ? state : null;

    public static IEnumerable<Measurement<double>> Observe(Func<IterationGaugeState, double?> value)
    {
        var measurements = new List<Measurement<double>>();
        foreach (var (labels, state) in States)
        {
            if (value(state) is { } v && double.IsFinite(v))
            {
                measurements.Add(new Measurement<double>(v,
                    new KeyValuePair<string, object?>(GridMetrics.Sweep, labels.Sweep),
                    new KeyValuePair<string, object?>(GridMetrics.Run, labels.Run),
                    new KeyValuePair<string, object?>(GridMetrics.Iteration, labels.IterationText),
                    new KeyValuePair<string, object?>(GridMetrics.Silo, state.Silo)));
            }
        }

        return measurements;
    }

    /// <summary>Drops inactive iterations past their retention, then the oldest inactive ones above capacity.</summary>
    public static void Trim(DateTimeOffset? now = null)
    {
        var cutoff = (now ?? DateTimeOffset.UtcNow) - Retention;
        foreach (var (labels, state) in States)
        {
            if (!state.Active && state.UpdatedAt < cutoff)
            {
                States.TryRemove(labels, out _);
            }
        }

        int excess = States.Count - Capacity;
        if (excess > 0)
        {
            foreach (var (labels, _) in States.Where(s => !s.Value.Active).OrderBy(s => s.Value.UpdatedAt).Take(excess).ToList())
            {
                States.TryRemove(labels, out _);
            }
        }
    }
}
