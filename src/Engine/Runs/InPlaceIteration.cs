using Grid.Engine.Pruning;
using Grid.Engine.Runtime;
using Grid.Engine.Training;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>An iteration of a run trained in its own directory (no run store link): its files written there, under the
/// directory's training claim until its summary.json is written.</summary>
public sealed class InPlaceIteration(IterationOrder order, RunDirectory run, IReadOnlyList<IterationOutcome> history) : IterationJob(order, run, history)
{
    private TrainingResult? _result;
    private int _bundle = 1;

    public override void PrepareInputs(torch.Device device, ThreadBudget? threads)
    {
    }

    protected override string ClaimFile => Run.TrainingClaimFile(Iteration);

    protected override IterationWork? OpenWork(torch.Device device) =>
        Run.ReadOutcome(Iteration) is null // else another holder finished it while this one waited
            ? IterationWork.Open(Spec, Iteration, device, Run.InitialWeightsFile, Iteration == 0 ? null : Run.MaskFile(Iteration))
            : null;

    public override IterationBundle.Entry Entry() =>
        new(Work!, Run.RewindWeightsFile, [(Spec.Pruning.RewindStep, Run.RewindWeightsFile)], Order.Progress) { Cancellation = Order.Cancellation };

    public override void Record(TrainingResult result, int bundle)
    {
        var work = Work!;
        work.SaveTrained(Run.FinalWeightsFile(Iteration));
        if (Iteration == 0)
        {
            TensorArchive.SaveMasks(Run.MaskFile(0), work.Mask.Masks);
        }

        Run.WriteCurves(Iteration, result.Curve);
        (_result, _bundle) = (result, bundle);
    }

    public override IterationOutcome Complete(torch.Device device, ThreadBudget? threads)
    {
        if (Work is not { } work || _result is not { } result)
        {
            return Run.ReadOutcome(Iteration)!;
        }

        var decision = work.Prune(result.BestValAccuracy, History, n => n == 0 ? work.DenseMask() : new MaskSet(TensorArchive.LoadMasks(Run.MaskFile(n))));
        string? stop = RunLimits.StopReason(Spec, Iteration, decision.NextMask?.ConnectedNodeFractions(), decision.StopReason);
        if (stop is null && decision.NextMask is { } next)
        {
            TensorArchive.SaveMasks(Run.MaskFile(Iteration + 1), next.Masks);
        }

        decision.NextMask?.Dispose();
        var outcome = IterationRecords.Outcome(Iteration, work, result, _bundle) with
        {
            IsLast = stop is not null,
            StopReason = stop,
            Files = RunIntegrity.Record(Run.Path, Iteration, isLast: stop is not null),
        };
        Run.WriteOutcome(outcome);
        ReleaseClaim();
        return outcome;
    }
}
