using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Grid.Grains.Telemetry;

/// <summary>The slots of one device of a silo, and how many are training now.</summary>
public readonly record struct DeviceSlotCount(string Device, int Slots, int Busy);

/// <summary>Where a silo's device-slot gauges read from (e.g. its <c>TrainingWorker</c>).</summary>
public interface ISlotSource
{
    /// <summary>Slots and busy slots per device.</summary>
    IReadOnlyList<DeviceSlotCount> Devices { get; }

    int Queued { get; }
}

/// <summary>
/// Thread-safe registry of the silos running in this process (one in a silo process; several in an in-process test
/// cluster), read by the per-silo gauges. Each silo registers while it is active.
/// </summary>
public static class SiloBoard
{
    private static readonly ConcurrentDictionary<string, ISlotSource> Silos = new(StringComparer.Ordinal);

    public static void Register(string silo, ISlotSource source) => Silos[silo] = source;

    public static void Unregister(string silo) => Silos.TryRemove(silo, out _);

    /// <summary>One measurement per silo and device.</summary>
    public static IEnumerable<Measurement<int>> ObservePerDevice(Func<DeviceSlotCount, int> value) =>
        [.. Silos.SelectMany(entry => entry.Value.Devices.Select(device =>
            new Measurement<int>(value(device), new(GridMetrics.Silo, entry.Key), new(GridMetrics.Device, device.Device))))];

    /// <summary>One measurement per silo.</summary>
    public static IEnumerable<Measurement<int>> ObservePerSilo(Func<ISlotSource, int> value) =>
        [.. Silos.Select(entry => new Measurement<int>(value(entry.Value), new KeyValuePair<string, object?>(GridMetrics.Silo, entry.Key)))];
}
