using System.Diagnostics;
using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>
/// One training run (docs/science.md §2): a fixed step budget of batches drawn with replacement, validation every K
/// steps on the validation set with BN running averages, best top-1 kept with its step. Masked weights stay
/// exactly zero. The loss is read back only at validation points, so the device is never synchronised per step.
/// With a <see cref="ThreadBudget"/> (optional) the training thread uses the fastest thread count that
/// <see cref="ThreadCalibration"/> found for the network, then the count its own steps run fastest with (<see cref="ThreadTrial"/>),
/// and an adaptive budget lowers it between steps while other processes keep cores busy, all only where the count does
/// not change the result.
/// </summary>
public sealed class Trainer(TrainingSpec spec, IBatchSource data, ThreadBudget? threads = null)
{
    /// <summary>Called after step <c>onStep.Step</c> (0 = before any update) with the model, e.g. to save rewind weights.</summary>
    public sealed record StepHook(int Step, Action<MaskedMlp> Action);

    public TrainingResult Train(
        MaskedMlp model,
        Generator batchGenerator,
        IReadOnlyList<StepHook> hooks,
        Action<CurvePoint>? onValidation,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        model.ResetRunningAverages();
        model.ApplyMasksToWeights();
        ThreadBudget? adaptive = null, validation = null;
        ThreadTrial? trial = null;
        if (threads is not null)
        {
            threads.EnsureStarted();
            var choice = ThreadCalibration.For(model, spec.BatchSize, threads.Max);
            threads.UseCeiling(choice.Fastest, fixedCount: !choice.Invariant);
            adaptive = choice.Invariant && threads.Adaptive ? threads : null;
            validation = choice.Invariant ? threads : null;
            trial = adaptive is { Trials: true } && model.Device.type == TorchSharp.DeviceType.CPU ? new ThreadTrial(adaptive, spec.Steps) : null;
        }

        var kernels = KernelPlan.For(model, spec);
        using var backprop = BackpropStep.Create(model, spec, threads, kernels);
        var stepsByThreads = new StepsByThreads(threads?.Threads ?? TorchThreads.OfCurrentThread());
        var stepTimes = new StepTimes();

        var curve = new List<CurvePoint>();
        RunHooks(hooks, 0, model);

        var lossSum = zeros(1, device: model.Device);
        var correctSum = zeros(1, device: model.Device);
        int stepsInWindow = 0;
        double lastTrainLoss = double.NaN;
        for (int step = 1; step <= spec.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            trial?.BeforeStep(step);
            adaptive?.Refresh();
            stepTimes.Start();
            using (var scope = NewDisposeScope())
            {
                model.train();
                var (loss, correct) = backprop.Run(data.DrawTrainBatch(spec.BatchSize, batchGenerator));
                lossSum.add_(loss, TorchScalars.One);
                correctSum.add_(correct, TorchScalars.One);
            }

            long stepTicks = stepTimes.Stop();
            trial?.AfterStep(stepTicks);
            stepsByThreads.Add(threads?.Threads);
            stepsInWindow++;
            RunHooks(hooks, step, model);
            if (step % spec.ValidateEvery == 0 || step == spec.Steps)
            {
                lastTrainLoss = lossSum.item<float>() / stepsInWindow;
                if (!double.IsFinite(lastTrainLoss))
                {
                    throw new TrainingDivergedException(step, lastTrainLoss);
                }

                double trainAccuracy = correctSum.item<float>() / ((double)stepsInWindow * spec.BatchSize);
                // Validation runs faster on every core it may use, and its numbers do not depend on the count (checked by
                // ThreadCalibration).
                var (valLoss, valTop1, valTop5) = validation is not null
                    ? validation.WithAvailable(() => Evaluation.Evaluate(model, data, spec.BatchSize))
                    : Evaluation.Evaluate(model, data, spec.BatchSize);
                var point = new CurvePoint(step, lastTrainLoss, trainAccuracy, valLoss, valTop1, valTop5);
                curve.Add(point);
                onValidation?.Invoke(point);
                lossSum.zero_();
                correctSum.zero_();
                stepsInWindow = 0;
            }
        }

        lossSum.Dispose();
        correctSum.Dispose();
        var best = curve.MaxBy(p => p.ValAccuracy)!;
        return new TrainingResult(curve, best.ValAccuracy, curve.Max(p => p.ValTop5), best.Step, lastTrainLoss, clock.Elapsed.TotalSeconds, kernels, stepsByThreads.Most, stepTimes.MedianMilliseconds);
    }

    private static void RunHooks(IReadOnlyList<StepHook> hooks, int step, MaskedMlp model)
    {
        foreach (var hook in hooks)
        {
            if (hook.Step == step)
            {
                hook.Action(model);
            }
        }
    }
}
