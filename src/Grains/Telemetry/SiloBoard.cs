using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Grid.Grains.Telemetry;

/// <summary>Where a silo's device-slot gauges read from (e.g. its <c>TrainingWorker</c>).</summary>
public interface ISlotSource
{
    int Slots { get; }

    int Busy { get; }

    int Queued { get; }
}

/// <summary>
/// Thread-safe registry of the silos running in this process (one in a silo process; several in an in-process test
/// cluster), read by the per-silo gauges. Each silo registers while it is active.
/// </summary>
public static class SiloBoard
{
    private static readonly ConcurrentDictionary<string, (string Device, ISlotSource Source)> Silos = new(StringComparer.Ordinal);

    public static void Register(string silo, string device, ISlotSource source) => Silos[silo] = (device, source);

    public static void Unregister(string silo) => Silos.TryRemove(silo, out _);

    public static IEnumerable<Measurement<int>> Observe(Func<ISlotSource, int> value, bool withDevice)
    {
        var measurements = new List<Measurement<int>>();
        foreach (var (silo, (device, source)) in Silos)
        {
            measurements.Add(withDevice
                ? new Measurement<int>(value(source), new(GridMetrics.Silo, silo), new(GridMetrics.Device, device))
                : new Measurement<int>(value(source), new KeyValuePair<string, object?>(GridMetrics.Silo, silo)));
        }

        return measurements;
    }
}
