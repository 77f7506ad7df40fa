using Grid.Engine.IO;
using Grid.Engine.Pruning;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using TorchSharp;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// The shared work around a stored iteration's training (<see cref="StoredIteration"/>), each under its own claim in
/// the store: cutting a mask, making a rewind checkpoint, and checking that the run's files still make its identity.
/// </summary>
public static class StoreExecutor
{
    /// <summary>The rewind checkpoint of the run's rewind step, made by training iteration 0 again up to it when the trunk
    /// was trained for runs that rewind elsewhere (a run shorter than its rewind step has none).</summary>
    internal static void EnsureCheckpoint(ExperimentSpec spec, StoredRun run, torch.Device device, CancellationToken cancellationToken, ThreadBudget? threads)
    {
        int step = spec.Pruning.RewindStep;
        string file = run.RewindFile(step);
        if (File.Exists(file) || step > spec.Training.Steps)
        {
            return;
        }

        using var claim = FileClaim.Acquire(Path.ChangeExtension(file, ".lock"), FileClaim.ThisProcess, null, cancellationToken);
        if (File.Exists(file))
        {
            return;
        }

        var started = DateTimeOffset.UtcNow;
        using (var work = IterationWork.Open(spec, 0, device, run.Trunk.InitialWeightsFile, null))
        {
            work.TrainPrefix(step, file, cancellationToken, threads);
        }

        run.Store.Journal(new StoreEvent(DateTimeOffset.UtcNow, StoreEvent.Checkpoint, "trunk", run.Link.Trunk, step, FileClaim.ThisProcess,
            (DateTimeOffset.UtcNow - started).TotalSeconds));
    }

    /// <summary>The files this iteration reads must still be what the sweep's run was linked to when it was submitted:
    /// what is trained is stored under that name for every sweep to reuse.</summary>
    internal static void CheckIdentity(ExperimentSpec spec, StoredRun run, int iteration)
    {
        var now = RunIdentity.Of(spec);
        if ((now.Trunk, now.Line) != (run.Link.Trunk, run.Link.Line))
        {
            string what = spec.Task.MappingFile is { Length: > 0 } mapping ? $"the dataset's files or {mapping}" : "the dataset's files";
            throw new Data.DatasetException(Data.DatasetCatalog.ResolveDirectory(spec.Dataset),
                $"{what} changed since the sweep was submitted (the run's iterations are stored as {run.Part(iteration)} {run.Id(iteration)}, the files now make {(iteration == 0 ? now.Trunk : now.Line)}); "
                + "submit the sweep again to train the runs that have not started on the new files, or put the files back");
        }
    }

    /// <summary>The mask record of <paramref name="iteration"/>, cut from iteration - 1 (whose outcome is the last of
    /// <paramref name="history"/>) when the line does not have it yet; <paramref name="trained"/> is that iteration's
    /// network when this job just trained it.</summary>
    internal static PruneRecord EnsurePruned(
        ExperimentSpec spec, StoredRun run, int iteration, IReadOnlyList<IterationOutcome> history, IterationWork? trained,
        torch.Device device, CancellationToken cancellationToken)
    {
        int source = iteration - 1;
        string finalFile = run.Owner(source).FinalWeightsFile(source);
        using var claim = FileClaim.Acquire(run.PruneClaimFile(iteration), FileClaim.ThisProcess, null, cancellationToken);
        string fromSha256 = ArtifactDigests.Of(finalFile).Sha256;
        if (StoreIntegrity.ReadPruned(run, iteration, fromSha256) is { } stored)
        {
            return stored;
        }

        var started = DateTimeOffset.UtcNow;
        var line = run.Line;
        bool own = trained is null || trained.Iteration != source;
        var work = own ? IterationWork.Open(spec, source, device, run.Trunk.InitialWeightsFile, source == 0 ? null : line.MaskFile(source)) : trained!;
        try
        {
            if (own)
            {
                work.LoadTrained(finalFile);
            }

            using var decision = new DecisionHolder(work.Prune(history[source].BestValAccuracy, [.. history.Take(source)],
                n => n == 0 ? work.DenseMask() : new MaskSet(TensorArchive.LoadMasks(line.MaskFile(n)))));
            ArtifactFile? mask = null;
            if (decision.Value.NextMask is { } next)
            {
                TensorArchive.SaveMasks(line.MaskFile(iteration), next.Masks);
                mask = ArtifactDigests.Describe(line.Path, $"iter-{iteration:D3}/mask.npz");
            }

            var record = new PruneRecord
            {
                Iteration = iteration,
                StopReason = decision.Value.NextMask is null ? decision.Value.StopReason : null,
                ConnectedNodeFractions = decision.Value.NextMask?.ConnectedNodeFractions(),
                Mask = mask,
                FromSha256 = fromSha256,
            };
            StoreIntegrity.WritePruned(run, record);
            run.Store.Journal(new StoreEvent(DateTimeOffset.UtcNow, StoreEvent.Pruned, "line", run.Link.Line, iteration, FileClaim.ThisProcess,
                (DateTimeOffset.UtcNow - started).TotalSeconds));
            return record;
        }
        finally
        {
            if (own)
            {
                work.Dispose();
            }
        }
    }

    private sealed class DecisionHolder(PruningDecision value) : IDisposable
    {
        public PruningDecision Value { get; } = value;

        public void Dispose() => Value.NextMask?.Dispose();
    }
}
