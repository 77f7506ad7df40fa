using System.Diagnostics;
using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Bundles;

/// <summary>
/// Trains K runs of the same shape at once as one <see cref="BundledMlp"/> (horizontally fused training): the loop of
/// <see cref="Trainer"/> with one <see cref="BundledStep"/> per step over one batch per member, drawn from the member's
/// own data with its own generator. Each member keeps its own curve, best point, hooks (e.g. its rewind checkpoint)
/// and validation (the solo <see cref="Evaluation"/> of its network, a view of its slice). A member whose loss becomes
/// NaN or infinite fails alone (<see cref="TrainingDivergedException"/>); its slice goes on being computed, which touches
/// no other member's numbers. So does a member whose own <see cref="BundleMember.Cancellation"/> is cancelled (its failure
/// an <see cref="OperationCanceledException"/>): the others train on to the end with the numbers they would have had.
/// Layers train dense (the sparse kernels are the solo path's).
/// </summary>
public sealed class BundledTrainer(ThreadBudget? threads = null)
{
    /// <summary>Trains every member; <paramref name="cancellationToken"/> cancels the whole bundle (thrown), a member's own
    /// token only that member.</summary>
    public IReadOnlyList<MemberResult> Train(IReadOnlyList<BundleMember> members, CancellationToken cancellationToken)
    {
        BundleCompatibility.Check(members);
        var clock = Stopwatch.StartNew();
        var spec = members[0].Spec;
        int size = members.Count;
        using var model = BundledMlp.Bundle([.. members.Select(m => m.Model)]);
        model.ResetRunningAverages();
        model.ApplyMasksToWeights();
        var (adaptive, validation) = StartThreads(model.Members[0], spec.BatchSize);
        using var step = BundledStep.Create(model, spec, threads);
        var stepsByThreads = new StepsByThreads(threads?.Threads ?? TorchThreads.OfCurrentThread());
        var stepTimes = new StepTimes();

        var curves = members.Select(_ => new List<CurvePoint>()).ToArray();
        var lastTrainLoss = Enumerable.Repeat(double.NaN, size).ToArray();
        var failures = new Exception?[size];
        LeaveCancelled(members, failures);
        RunHooks(members, failures, 0);

        using var lossSum = zeros(size, device: model.Device);
        using var correctSum = zeros(size, device: model.Device);
        int stepsInWindow = 0;
        for (int n = 1; n <= spec.Steps && failures.Any(f => f is null); n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LeaveCancelled(members, failures);
            if (failures.All(f => f is not null))
            {
                break;
            }

            adaptive?.Refresh();
            stepTimes.Start();
            using (var scope = NewDisposeScope())
            {
                var (images, labels) = BundledBatch.Draw(members, spec.BatchSize);
                var (loss, correct) = step.Run(images, labels);
                lossSum.add_(loss, TorchScalars.One);
                correctSum.add_(correct, TorchScalars.One);
            }

            stepTimes.Stop();

            stepsByThreads.Add(threads?.Threads);
            stepsInWindow++;
            RunHooks(members, failures, n);
            if (n % spec.ValidateEvery == 0 || n == spec.Steps)
            {
                float[] losses = Read(lossSum), corrects = Read(correctSum);
                for (int k = 0; k < size; k++)
                {
                    if (failures[k] is not null)
                    {
                        continue;
                    }

                    // the arithmetic of Trainer's, so that a member's curve has the bits of its solo curve
                    lastTrainLoss[k] = losses[k] / stepsInWindow;
                    if (!double.IsFinite(lastTrainLoss[k]))
                    {
                        failures[k] = new TrainingDivergedException(n, lastTrainLoss[k]);
                        continue;
                    }

                    double trainAccuracy = corrects[k] / ((double)stepsInWindow * spec.BatchSize);
                    var member = members[k];
                    var (valLoss, valTop1, valTop5) = validation is not null
                        ? validation.WithAvailable(() => Evaluation.Evaluate(member.Model, member.Data, spec.BatchSize))
                        : Evaluation.Evaluate(member.Model, member.Data, spec.BatchSize);
                    var point = new CurvePoint(n, lastTrainLoss[k], trainAccuracy, valLoss, valTop1, valTop5);
                    curves[k].Add(point);
                    member.OnValidation?.Invoke(point);
                }

                lossSum.zero_();
                correctSum.zero_();
                stepsInWindow = 0;
            }
        }

        IReadOnlyList<string> kernels = [.. Enumerable.Repeat(KernelKinds.Dense, model.LayerCount)];
        double seconds = clock.Elapsed.TotalSeconds;
        return [.. Enumerable.Range(0, size).Select(k => failures[k] is { } failure
            ? new MemberResult(null, failure)
            : new MemberResult(Result(curves[k], lastTrainLoss[k], seconds, kernels, stepsByThreads.Most, stepTimes.MedianMilliseconds), null))];
    }

    /// <summary>Every thread of the slot: a bundle has K times the work of each of its parts, and was faster on the slot's
    /// maximum than on one thread for every shape measured, also where the solo network trains fastest on one
    /// (docs/throughput.md). As in <see cref="Trainer"/>, the count adapts to load and validation takes every available
    /// thread only where the solo network's calibration found that the count changes no bits: a member's products in
    /// the bundle are its solo products, slice by slice (tested for 1 and 2 threads).</summary>
    private (ThreadBudget? Adaptive, ThreadBudget? Validation) StartThreads(MaskedMlp layout, int batchSize)
    {
        if (threads is null)
        {
            return (null, null);
        }

        threads.EnsureStarted();
        var choice = ThreadCalibration.For(layout, batchSize, threads.Max);
        threads.UseCeiling(threads.Max, fixedCount: !choice.Invariant);
        return (choice.Invariant && threads.Adaptive ? threads : null, choice.Invariant ? threads : null);
    }

    private static TrainingResult Result(List<CurvePoint> curve, double lastTrainLoss, double seconds, IReadOnlyList<string> kernels, int threads, double? stepMilliseconds)
    {
        var best = curve.MaxBy(p => p.ValAccuracy)!;
        return new TrainingResult(curve, best.ValAccuracy, curve.Max(p => p.ValTop5), best.Step, lastTrainLoss, seconds, kernels, threads, stepMilliseconds);
    }

    private static void RunHooks(IReadOnlyList<BundleMember> members, Exception?[] failures, int step)
    {
        for (int k = 0; k < members.Count; k++)
        {
            if (failures[k] is not null)
            {
                continue;
            }

            foreach (var hook in members[k].Hooks)
            {
                if (hook.Step == step)
                {
                    hook.Action(members[k].Model);
                }
            }
        }
    }

    private static void LeaveCancelled(IReadOnlyList<BundleMember> members, Exception?[] failures)
    {
        for (int k = 0; k < members.Count; k++)
        {
            if (failures[k] is null && members[k].Cancellation.IsCancellationRequested)
            {
                failures[k] = new OperationCanceledException(members[k].Cancellation);
            }
        }
    }

    private static float[] Read(Tensor perMember)
    {
        using var host = perMember.cpu();
        return host.data<float>().ToArray();
    }
}
