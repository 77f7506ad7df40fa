using Grid.Engine.Pruning;
using Grid.Engine.Runs.Store;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>
/// Runs the iterations of one experiment, one at a time, against its run directory (the source of truth). A run directory
/// linked to the run store (<see cref="StoreLink"/>) gets its iterations from there, trained once for every run that shares
/// them (<see cref="StoreExecutor"/>); one without a link (written before the run store, or the engine used alone) trains in place.
/// Every call is idempotent: a finished iteration is read back, never retrained. An interrupted iteration is
/// retrained from scratch with the same random streams, so it produces the same masks. A finished iteration records
/// the size and SHA-256 of its files (<see cref="RunIntegrity"/>); an iteration trains only from finished iterations
/// that still verify, else <see cref="CorruptArtifactException"/> names the bad file.
/// </summary>
public static class RunExecutor
{
    /// <summary>Trains iteration <paramref name="iteration"/> (which requires iteration - 1 finished and not last),
    /// writes its artifacts atomically and returns its outcome.</summary>
    public static IterationOutcome RunIteration(
        ExperimentSpec spec,
        string runDirectory,
        int iteration,
        torch.Device device,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken,
        ThreadBudget? threads = null)
    {
        var run = new RunDirectory(runDirectory);
        if (run.ReadOutcome(iteration) is { } finished)
        {
            return finished;
        }

        run.Claim(spec);
        var check = RunIntegrity.Check(run.Path, IntegrityDepth.Full);
        if (check.Problem is { } problem && problem.Iteration <= iteration)
        {
            throw new CorruptArtifactException(problem); // what this iteration trains from cannot be trusted
        }

        var history = check.Valid;
        if (history.Count < iteration)
        {
            throw new CorruptArtifactException(run.SummaryFile(history.Count), $"missing: iteration {iteration} needs iteration {history.Count} to finish first");
        }

        if (history.Count > 0 && history[^1].IsLast && history.Count == iteration)
        {
            throw new InvalidOperationException($"{run.Path}: the run ended after iteration {iteration - 1} ({history[^1].StopReason})");
        }

        if (StoreLink.Read(run.Path) is { } link)
        {
            return StoreExecutor.RunIteration(spec, run, link, history, iteration, device, progress, cancellationToken, threads);
        }

        using var work = IterationWork.Open(spec, iteration, device, run.InitialWeightsFile, iteration == 0 ? null : run.MaskFile(iteration));
        var result = work.Train(run.RewindWeightsFile, [(spec.Pruning.RewindStep, run.RewindWeightsFile)], progress, cancellationToken, threads);
        work.SaveTrained(run.FinalWeightsFile(iteration));
        if (iteration == 0)
        {
            TensorArchive.SaveMasks(run.MaskFile(0), work.Mask.Masks);
        }

        run.WriteCurves(iteration, result.Curve);

        var decision = work.Prune(result.BestValAccuracy, history, n => n == 0 ? work.DenseMask() : new MaskSet(TensorArchive.LoadMasks(run.MaskFile(n))));
        string? stop = RunLimits.StopReason(spec, iteration, decision.NextMask?.ConnectedNodeFractions(), decision.StopReason);
        if (stop is null && decision.NextMask is { } next)
        {
            TensorArchive.SaveMasks(run.MaskFile(iteration + 1), next.Masks);
        }

        decision.NextMask?.Dispose();
        var outcome = IterationRecords.Outcome(iteration, work, result) with
        {
            IsLast = stop is not null,
            StopReason = stop,
            Files = RunIntegrity.Record(run.Path, iteration, isLast: stop is not null),
        };
        run.WriteOutcome(outcome);
        return outcome;
    }

    /// <summary>Outcomes of the iterations already finished in <paramref name="runDirectory"/>, in order, up to the first
    /// one whose files are missing or of the wrong size (<see cref="IntegrityDepth.Quick"/>; training checks fully).</summary>
    public static IReadOnlyList<IterationOutcome> FinishedIterations(string runDirectory) =>
        RunIntegrity.Check(runDirectory, IntegrityDepth.Quick).Valid;

    /// <summary>Runs every remaining iteration of the run in order (the engine without the grid).</summary>
    public static IReadOnlyList<IterationOutcome> RunToEnd(
        ExperimentSpec spec, string runDirectory, torch.Device device, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken,
        Action<IterationOutcome>? iterationFinished = null,
        ThreadBudget? threads = null)
    {
        var outcomes = FinishedIterations(runDirectory).ToList();
        while (outcomes.Count == 0 || !outcomes[^1].IsLast)
        {
            outcomes.Add(RunIteration(spec, runDirectory, outcomes.Count, device, progress, cancellationToken, threads));
            iterationFinished?.Invoke(outcomes[^1]);
        }

        return outcomes;
    }
}
