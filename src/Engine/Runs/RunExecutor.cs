using System.Diagnostics;
using Grid.Engine.Data;
using Grid.Engine.Model;
using Grid.Engine.Pruning;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>
/// Runs the iterations of one experiment, one at a time, against its run directory (the source of truth).
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

        var strategy = PruningStrategies.Get(spec.Pruning.Method);
        using var scope = torch.NewDisposeScope();
        using var data = ExperimentData.Load(spec, device);
        using var model = MaskedMlp.For(spec, data, device);
        using var initial = InitialWeights(run, model, spec.Seed);
        using var mask = iteration == 0 ? MaskSet.Dense(model.LayerWidths) : new MaskSet(TensorArchive.LoadMasks(run.MaskFile(iteration)));
        if (iteration == 0 || strategy.StartsFromInitialisation)
        {
            initial.Restore(model);
        }
        else
        {
            using var rewind = WeightSnapshot.FromTensors(TensorArchive.Load(run.RewindWeightsFile));
            rewind.Restore(model);
        }

        model.SetMasks([.. mask.Masks.Select(m => m.to(device))]);
        double density = mask.PrunableDensity(model.PruneFlags);
        var hooks = iteration == 0
            ? new List<Trainer.StepHook> { new(spec.Pruning.RewindStep, m => SaveRewind(run, m)) }
            : [];
        var clock = Stopwatch.StartNew();
        using var batches = SeedStreams.Generator(spec.Seed, $"batches/{iteration}");
        double best = 0;
        var result = new Trainer(spec.Training, data, threads).Train(model, batches, hooks, point =>
        {
            best = Math.Max(best, point.ValAccuracy);
            progress?.Report(new TrainingProgress(iteration, point.Step, spec.Training.Steps, point.TrainLoss, point.ValAccuracy, best, density, clock.Elapsed));
        }, cancellationToken);

        using (var final = WeightSnapshot.Capture(model))
        {
            TensorArchive.Save(run.FinalWeightsFile(iteration), final.Tensors);
        }

        if (iteration == 0)
        {
            TensorArchive.SaveMasks(run.MaskFile(0), mask.Masks);
        }

        run.WriteCurves(iteration, result.Curve);

        using var random = SeedStreams.Generator(spec.Seed, $"pruning/{iteration}");
        var decision = strategy.Next(new PruningContext(spec, iteration, result.BestValAccuracy, mask, model, initial, data, history, MaskOf, random));
        MaskSet MaskOf(int n) => n == 0 ? MaskSet.Dense(model.LayerWidths) : new MaskSet(TensorArchive.LoadMasks(run.MaskFile(n)));
        if (decision.NextMask is { } next)
        {
            TensorArchive.SaveMasks(run.MaskFile(iteration + 1), next.Masks);
            next.Dispose();
        }

        var outcome = new IterationOutcome
        {
            Iteration = iteration,
            UnprunedFraction = density,
            LayerUnprunedFractions = mask.LayerDensities(),
            BestValAccuracy = result.BestValAccuracy,
            BestValTop5 = result.BestValTop5,
            BestStep = result.BestStep,
            FinalTrainLoss = result.FinalTrainLoss,
            TrainSeconds = result.Seconds,
            Kernels = result.Kernels,
            Threads = result.Threads,
            IsLast = decision.NextMask is null,
            StopReason = decision.StopReason,
            Files = RunIntegrity.Record(run.Path, iteration, isLast: decision.NextMask is null),
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

    /// <summary>init.npz when present (so a resumed run starts from the very same weights), else seeded Glorot init.</summary>
    private static WeightSnapshot InitialWeights(RunDirectory run, MaskedMlp model, long seed)
    {
        if (File.Exists(run.InitialWeightsFile))
        {
            return WeightSnapshot.FromTensors(TensorArchive.Load(run.InitialWeightsFile));
        }

        using var generator = SeedStreams.Generator(seed, "initialisation");
        model.Initialise(generator);
        var snapshot = WeightSnapshot.Capture(model);
        TensorArchive.Save(run.InitialWeightsFile, snapshot.Tensors);
        return snapshot;
    }

    private static void SaveRewind(RunDirectory run, MaskedMlp model)
    {
        if (File.Exists(run.RewindWeightsFile))
        {
            return;
        }

        using var snapshot = WeightSnapshot.Capture(model);
        TensorArchive.Save(run.RewindWeightsFile, snapshot.Tensors);
    }
}
