using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;

namespace Grid.Grains.Sweeps;

/// <summary>A sweep's work against the run store (<see cref="StorePlan"/>), summed for the submitter.</summary>
public static class SweepWork
{
    public static WorkPlan Plan(SweepStore store, IReadOnlyList<RunPlan> runs)
    {
        var plans = StorePlan.For(RunStore.Of(store.Root), runs);
        return new WorkPlan
        {
            ToTrain = plans.Sum(p => p.ToTrain),
            Reused = plans.Sum(p => p.Reused),
            Shared = plans.Sum(p => p.Shared),
            Exact = plans.All(p => p.Exact),
            Unknown = plans.Select(p => p.Unknown).FirstOrDefault(u => u is not null),
        };
    }
}
