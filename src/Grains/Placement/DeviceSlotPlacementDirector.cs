using Grid.Grains.Training;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Grid.Grains.Placement;

/// <summary>
/// Places pruning iterations: only silos whose device slot count (silo metadata, else the slot board) is above 0
/// are candidates; <see cref="SlotChoice"/> picks one from their slots and queues (the slot board, plus the placements
/// this silo made since), joining an iteration to a bundle of its key already waiting there where it can
/// (<see cref="BundleAffinity"/>, carried by the call that activates it). When every slot is busy the iteration waits in
/// the chosen silo's queue. No candidate → the call fails and the run grain asks again on its next poll.
/// </summary>
public sealed class DeviceSlotPlacementDirector(
    ISiloMetadataCache metadata,
    SlotBoardCache board,
    ILocalSiloDetails local,
    SlotPlan plan,
    ILogger<DeviceSlotPlacementDirector> logger) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var now = DateTimeOffset.UtcNow;
        var candidates = context.GetCompatibleSilos(target)
            .Select(silo => (Silo: silo, Slots: SlotsOf(silo)))
            .Where(c => c.Slots > 0)
            .ToDictionary(c => c.Silo.ToParsableString(), c => c);
        if (candidates.Count == 0)
        {
            throw new OrleansException($"No silo with device slots can host {target.GrainIdentity}: set Grid:DeviceSlots > 0 on at least one silo.");
        }

        var queues = candidates.Select(c => board.QueueOf(c.Key, c.Value.Slots, now)).ToList();
        var (chosen, iteration) = SlotChoice.Choose(queues, BundleAffinity.Of(target), Random.Shared);
        board.RecordPlacement(chosen, now, target.GrainIdentity.Key.ToString(), iteration);
        logger.LogDebug("Placed {Grain} on {Silo} among {Candidates} silos with slots ({Affinity})",
            target.GrainIdentity, chosen, candidates.Count, iteration?.ToString() ?? "no bundle key");
        return Task.FromResult(candidates[chosen].Silo);
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
