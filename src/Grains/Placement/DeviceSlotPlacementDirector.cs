using Grid.Grains.Training;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Grid.Grains.Placement;

/// <summary>
/// Places pruning iterations: only silos whose device slot count (silo metadata, else the slot board) is above 0
/// are candidates; among them the one with the most free slots wins (ties at random); when every slot is busy the
/// least loaded silo gets it and the iteration waits in that silo's queue. No candidate → the call fails and the
/// run grain asks again on its next poll.
/// </summary>
public sealed class DeviceSlotPlacementDirector(
    ISiloMetadataCache metadata,
    SlotBoardCache board,
    ILocalSiloDetails local,
    SlotPlan plan) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var now = DateTimeOffset.UtcNow;
        var candidates = context.GetCompatibleSilos(target)
            .Select(silo => (Silo: silo, Slots: SlotsOf(silo)))
            .Where(c => c.Slots > 0)
            .Select(c => (c.Silo, c.Slots, Load: board.LoadOf(c.Silo.ToParsableString(), now)))
            .ToList();
        if (candidates.Count == 0)
        {
            throw new OrleansException($"No silo with device slots can host {target.GrainIdentity}: set Grid:DeviceSlots > 0 on at least one silo.");
        }

        int Free((SiloAddress Silo, int Slots, int Load) c) => c.Slots - c.Load;
        int bestFree = candidates.Max(Free);
        var pool = bestFree > 0
            ? candidates.Where(c => Free(c) == bestFree).ToList()
            : candidates.Where(c => (double)c.Load / c.Slots == candidates.Min(x => (double)x.Load / x.Slots)).ToList();
        var chosen = pool[Random.Shared.Next(pool.Count)].Silo;
        board.RecordPlacement(chosen.ToParsableString(), now);
        return Task.FromResult(chosen);
    }

    private int SlotsOf(SiloAddress silo)
    {
        if (silo.Equals(local.SiloAddress))
        {
            return plan.Slots;
        }

        if (SlotMetadata.Parse(metadata.GetSiloMetadata(silo).Metadata) is { } slots)
        {
            return slots;
        }

        return board.Get(silo.ToParsableString())?.Slots ?? 0;
    }
}
