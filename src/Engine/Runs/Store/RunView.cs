using Grid.Engine.IO;
using Grid.Engine.Pruning;
using Grid.Engine.Specs;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// A sweep's run directory over the run store: the files of each iteration the run uses, linked from its trunk and line
/// (<see cref="FileLinks"/>), and its own summary.json, which says whether the iteration is this run's last under this
/// run's limits. The directory reads exactly as a run that trained in place (docs/results-format.md).
/// </summary>
public static class RunView
{
    /// <summary>Links iteration <paramref name="iteration"/> (and, unless the run stops after it, the next mask) into the
    /// run directory and writes its summary.json last.</summary>
    public static IterationOutcome Materialize(ExperimentSpec spec, RunDirectory view, StoredRun run, int iteration, IterationOutcome trained, PruneRecord next)
    {
        var owner = run.Owner(iteration);
        if (iteration == 0)
        {
            FileLinks.LinkOrCopy(owner.InitialWeightsFile, view.InitialWeightsFile);
            if (File.Exists(run.RewindFile(spec.Pruning.RewindStep)))
            {
                FileLinks.LinkOrCopy(run.RewindFile(spec.Pruning.RewindStep), view.RewindWeightsFile);
            }
        }

        FileLinks.LinkOrCopy(owner.MaskFile(iteration), view.MaskFile(iteration));
        FileLinks.LinkOrCopy(owner.FinalWeightsFile(iteration), view.FinalWeightsFile(iteration));
        FileLinks.LinkOrCopy(owner.CurvesFile(iteration), view.CurvesFile(iteration));

        string? stop = RunLimits.StopReason(spec, iteration, next.Mask is null ? null : next.ConnectedNodeFractions, next.StopReason);
        if (stop is null)
        {
            FileLinks.LinkOrCopy(run.Line.MaskFile(iteration + 1), view.MaskFile(iteration + 1));
        }

        var outcome = trained with
        {
            IsLast = stop is not null,
            StopReason = stop,
            Files = RunIntegrity.Record(view.Path, iteration, isLast: stop is not null),
        };
        view.WriteOutcome(outcome);
        return outcome;
    }
}
