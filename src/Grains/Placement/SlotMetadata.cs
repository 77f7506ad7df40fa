using System.Globalization;

namespace Grid.Grains.Placement;

/// <summary>Silo metadata (published with cluster membership) that tells placement how many device slots a silo has.</summary>
public static class SlotMetadata
{
    public const string DeviceSlotsKey = "grid.device-slots";
    public const string DeviceKey = "grid.device";

    public static int? Parse(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(DeviceSlotsKey, out string? value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int slots)
            ? slots
            : null;
}
