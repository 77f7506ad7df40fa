using Orleans.Placement;

namespace Grid.Grains.Placement;

/// <summary>Place an activation only on a silo that has device slots, preferring one with a free slot.</summary>
[GenerateSerializer, Immutable]
public sealed class DeviceSlotPlacement : PlacementStrategy
{
    public static DeviceSlotPlacement Instance { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DeviceSlotPlacementAttribute() : PlacementAttribute(DeviceSlotPlacement.Instance);
