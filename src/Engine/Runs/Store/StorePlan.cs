using System.Text.Json;
using Grid.Engine.Pruning;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Engine.Runs.Store;

/// <summary>What one run of a sweep will take from the run store and what it will train.</summary>
/// <param name="Reused">Iterations already in the store (trained by any sweep).</param>
/// <param name="Shared">Iterations another run of this sweep trains first (a shared trunk, or the same line).</param>
/// <param name="ToTrain">Iterations this run trains (estimated where the stop criterion decides).</param>
/// <param name="Exact">False when <paramref name="ToTrain"/> is an estimate.</param>
/// <param name="Unknown">Why the store could not be consulted (e.g. the dataset is not on this machine), or null.</param>
public sealed record RunWorkPlan(int Index, string? Trunk, string? Line, int Reused, int Shared, int ToTrain, bool Exact, string? Unknown);

/// <summary>
/// The work of a sweep against the run store, before it runs: per run, which iterations are already stored, which
/// another run of the sweep trains first, and which it trains. Stored iterations are counted under each run's own
/// limits (max_iterations, stop_ratio) from the stored mask records, so a run that stops earlier than the run that
/// trained its line counts only its own iterations.
/// </summary>
public static class StorePlan
{
    public static IReadOnlyList<RunWorkPlan> For(RunStore store, IReadOnlyList<RunPlan> runs)
    {
        var trunksPlanned = new HashSet<string>(StringComparer.Ordinal);
        var linesPlanned = new Dictionary<string, int>(StringComparer.Ordinal);
        var plans = new List<RunWorkPlan>();
        foreach (var run in runs)
        {
            RunIdentity identity;
            try
            {
                identity = RunIdentity.Of(run.Spec);
            }
            catch (Exception error) when (error is Data.DatasetException or IOException or UnauthorizedAccessException)
            {
                plans.Add(new RunWorkPlan(run.Index, null, null, 0, 0, IterationEstimate.For(run.Spec), false, error.Message));
                continue;
            }

            var (stored, exactTotal) = Stored(store, identity, run.Spec);
            int total = exactTotal ?? Math.Max(IterationEstimate.For(run.Spec), stored + 1);
            int shared = 0, toTrain = 0;
            for (int iteration = stored; iteration < total; iteration++)
            {
                bool planned = iteration == 0
                    ? !trunksPlanned.Add(identity.Trunk)
                    : linesPlanned.TryGetValue(identity.Line, out int upTo) && iteration <= upTo;
                if (planned)
                {
                    shared++;
                }
                else
                {
                    toTrain++;
                }
            }

            linesPlanned[identity.Line] = Math.Max(linesPlanned.GetValueOrDefault(identity.Line), total - 1);
            plans.Add(new RunWorkPlan(run.Index, identity.Trunk, identity.Line, stored, shared, toTrain, exactTotal is not null, null));
        }

        return plans;
    }

    /// <summary>How many of the run's iterations the store has, in order, and the run's exact length when the store
    /// already shows where it stops.</summary>
    private static (int Stored, int? Total) Stored(RunStore store, RunIdentity identity, ExperimentSpec spec)
    {
        var trunk = new RunDirectory(store.TrunkPath(identity.Trunk));
        var line = new RunDirectory(store.LinePath(identity.Line));
        for (int iteration = 0; ; iteration++)
        {
            var owner = iteration == 0 ? trunk : line;
            if (!File.Exists(owner.SummaryFile(iteration)))
            {
                return (iteration, null);
            }

            string pruned = Path.Combine(line.IterationPath(iteration + 1), PruneRecord.FileName);
            if (!File.Exists(pruned))
            {
                return (iteration + 1, null);
            }

            PruneRecord next;
            try
            {
                next = SpecJson.Parse<PruneRecord>(File.ReadAllText(pruned));
            }
            catch (JsonException)
            {
                return (iteration + 1, null);
            }

            if (RunLimits.StopReason(spec, iteration, next.Mask is null ? null : next.ConnectedNodeFractions, next.StopReason) is not null)
            {
                return (iteration + 1, iteration + 1);
            }
        }
    }
}
