using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>Where device slots are free (key: 0). Silos report periodically; placement reads a local copy.</summary>
public interface ISlotBoardGrain : IGrainWithIntegerKey
{
    /// <summary>Records one silo's slots and returns the recent reports of all silos.</summary>
    Task<IReadOnlyList<SiloSlots>> Report(SiloSlots slots);
}
