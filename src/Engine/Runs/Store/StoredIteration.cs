using Grid.Engine.Pruning;
using Grid.Engine.Runtime;
using Grid.Engine.Training;
using TorchSharp;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// An iteration of a run linked to the run store (<see cref="StoreLink"/>): the mask it trains with (cut from iteration
/// n-1 unless its line already has it), its training (unless its trunk or line already has it) under the owner's
/// training claim, and the next mask (unless its line already has it), each under its own claim in the store
/// (<see cref="StoreExecutor"/>), so that runs of any sweep that share work do it once, even at the same time on
/// different silos. Then the run's directory gets the iteration's files as links (<see cref="RunView"/>).
/// </summary>
public sealed class StoredIteration(IterationOrder order, RunDirectory view, StoreLink link, IReadOnlyList<IterationOutcome> history)
    : IterationJob(order, view, history)
{
    private readonly StoredRun _run = new(link.OpenStore(view.Path), link);
    private IterationOutcome? _trained;
    private bool _trainedHere;

    private bool Rewinds => !PruningStrategies.Get(Spec.Pruning.Method).StartsFromInitialisation;

    public override void PrepareInputs(torch.Device device, ThreadBudget? threads)
    {
        if (Iteration > 0)
        {
            StoreExecutor.EnsurePruned(Spec, _run, Iteration, History, null, device, Order.Cancellation);
            if (Rewinds)
            {
                StoreExecutor.EnsureCheckpoint(Spec, _run, device, Order.Cancellation, threads);
            }
        }
    }

    protected override string ClaimFile => _run.Owner(Iteration).ClaimFile(Iteration);

    protected override IterationWork? OpenWork(torch.Device device)
    {
        if (StoreIntegrity.ReadTrained(_run, Iteration) is { } stored)
        {
            _trained = stored;
            ReleaseClaim();
            return null;
        }

        var work = IterationWork.Open(Spec, Iteration, device, _run.Trunk.InitialWeightsFile, Iteration == 0 ? null : _run.Line.MaskFile(Iteration));
        try
        {
            StoreExecutor.CheckIdentity(Spec, _run, Iteration);
            return work;
        }
        catch
        {
            work.Dispose();
            throw;
        }
    }

    public override IterationBundle.Entry Entry()
    {
        var checkpoints = Iteration == 0
            ? _run.Store.WantedRewindSteps(_run.Link.Trunk).Append(Spec.Pruning.RewindStep).Distinct().Select(step => (step, _run.RewindFile(step))).ToList()
            : [];
        return new(Work!, _run.RewindFile(Spec.Pruning.RewindStep), checkpoints, Order.Progress) { Cancellation = Order.Cancellation };
    }

    /// <summary>The trained iteration in its owner (trunk or line), its record last, and the journal's entry; releases
    /// the training claim.</summary>
    public override void Record(TrainingResult result, int bundle)
    {
        var work = Work!;
        var owner = _run.Owner(Iteration);
        work.SaveTrained(owner.FinalWeightsFile(Iteration));
        if (Iteration == 0)
        {
            TensorArchive.SaveMasks(owner.MaskFile(0), work.Mask.Masks);
        }

        owner.WriteCurves(Iteration, result.Curve);
        var outcome = IterationRecords.Outcome(Iteration, work, result, bundle) with
        {
            Files = [.. _run.FilesOf(Iteration).Select(f => ArtifactDigests.Describe(owner.Path, f))],
        };
        owner.WriteOutcome(outcome);
        _run.Store.Journal(new StoreEvent(DateTimeOffset.UtcNow, StoreEvent.Trained, _run.Part(Iteration), _run.Id(Iteration), Iteration, IO.FileClaim.ThisProcess, result.Seconds));
        (_trained, _trainedHere) = (outcome, true);
        ReleaseClaim();
    }

    public override IterationOutcome Complete(torch.Device device, ThreadBudget? threads)
    {
        var trained = _trained ?? throw new InvalidOperationException($"iteration {Iteration} of {Run.Path} completes before it was trained or read");
        if (Iteration == 0 && Rewinds)
        {
            StoreExecutor.EnsureCheckpoint(Spec, _run, device, Order.Cancellation, threads);
        }

        var pruned = StoreExecutor.EnsurePruned(Spec, _run, Iteration + 1, [.. History, trained], Work, device, Order.Cancellation);
        return RunView.Materialize(Spec, Run, _run, Iteration, trained, pruned) with { Reused = !_trainedHere };
    }
}
