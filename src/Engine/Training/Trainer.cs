using System.Diagnostics;
using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>
/// One training run (docs/science.md §2): a fixed step budget of batches drawn with replacement, validation every K
/// steps on the validation set with BN running averages, best top-1 kept with its step. Masked weights stay
/// exactly zero. The loss is read back only at validation points, so the device is never synchronised per step.
/// An adaptive <see cref="ThreadBudget"/> (optional) may change the training thread's libtorch threads between steps,
/// where <see cref="ThreadInvariance"/> shows that the count does not change the result.
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
        using var optimizer = ParameterUpdate.For(spec, model);
        var backprop = BackpropStep.For(model, threads);
        threads?.EnsureStarted();
        var adaptive = threads is { Adaptive: true } && ThreadInvariance.Holds(model, spec.BatchSize, threads.Max) ? threads : null;
        threads?.ResetToMax();
        var curve = new List<CurvePoint>();
        RunHooks(hooks, 0, model);

        var lossSum = zeros(1, device: model.Device);
        var correctSum = zeros(1, device: model.Device);
        int stepsInWindow = 0;
        double lastTrainLoss = double.NaN;
        for (int step = 1; step <= spec.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            adaptive?.Refresh();
            using (var scope = NewDisposeScope())
            {
                model.train();
                var (images, labels) = data.TrainBatch(spec.BatchSize, batchGenerator);
                var (loss, correct) = backprop.Run(images, labels);
                optimizer.Step();
                model.ApplyMasksToWeights();
                lossSum.add_(loss, TorchScalars.One);
                correctSum.add_(correct, TorchScalars.One);
            }

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
                var (valLoss, valTop1, valTop5) = Evaluation.Evaluate(model, data, spec.BatchSize);
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
        return new TrainingResult(curve, best.ValAccuracy, curve.Max(p => p.ValTop5), best.Step, lastTrainLoss, clock.Elapsed.TotalSeconds);
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
