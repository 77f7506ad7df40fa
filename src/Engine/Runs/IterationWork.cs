using System.Diagnostics;
using Grid.Engine.Data;
using Grid.Engine.Model;
using Grid.Engine.Pruning;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using Grid.Engine.Training.Bundles;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>
/// One iteration of one run in memory: its data, its network, the initial weights and the mask it trains with. It trains
/// (from the initial or the rewind weights) or takes trained weights from a file, and then asks the run's procedure for
/// the next mask, with the same random streams whatever the order: a mask does not depend on whether the weights it is
/// cut from were trained in this process or read back.
/// </summary>
public sealed class IterationWork : IDisposable
{
    private readonly DisposeScope _scope;
    private readonly DatasetBatchSource _data;
    private readonly WeightSnapshot _initial;

    private IterationWork(ExperimentSpec spec, int iteration, torch.Device device, string initialWeightsFile, string? maskFile)
    {
        Spec = spec;
        Iteration = iteration;
        _scope = torch.NewDisposeScope();
        _data = ExperimentData.Load(spec, device);
        Model = MaskedMlp.For(spec, _data, device);
        _initial = InitialWeights(initialWeightsFile, Model, spec.Seed);
        Mask = maskFile is null ? MaskSet.Dense(Model.LayerWidths) : new MaskSet(TensorArchive.LoadMasks(maskFile));
        Model.SetMasks([.. Mask.Masks.Select(m => m.to(device))]);
    }

    public ExperimentSpec Spec { get; }
    public int Iteration { get; }
    public MaskedMlp Model { get; }
    public MaskSet Mask { get; }

    public double Density => Mask.PrunableDensity(Model.PruneFlags);

    /// <summary>Builds the iteration. <paramref name="initialWeightsFile"/> is read when present (so a resumed run starts
    /// from the very same weights), else the seeded initialisation is written there. <paramref name="maskFile"/> null:
    /// the dense mask of iteration 0.</summary>
    public static IterationWork Open(ExperimentSpec spec, int iteration, torch.Device device, string initialWeightsFile, string? maskFile) =>
        new(spec, iteration, device, initialWeightsFile, maskFile);

    /// <summary>Trains from the initial weights (iteration 0, or procedures that prune at initialisation) or from
    /// <paramref name="rewindWeightsFile"/>. Iteration 0 saves the network at each of <paramref name="checkpoints"/>
    /// (step, file) it reaches, once: the rewind weights later iterations restart from.</summary>
    public TrainingResult Train(string rewindWeightsFile, IReadOnlyList<(int Step, string File)> checkpoints, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, ThreadBudget? threads) =>
        Train(Spec.Training, rewindWeightsFile, checkpoints, progress, cancellationToken, threads);

    /// <summary>Trains iteration 0 again up to <paramref name="step"/> only, to save the network there (a rewind
    /// checkpoint its first training did not save): the same initial weights and batches, so the same weights.</summary>
    public void TrainPrefix(int step, string file, CancellationToken cancellationToken, ThreadBudget? threads)
    {
        if (step == 0)
        {
            _initial.Restore(Model);
            SaveCheckpoint(file, Model);
            return;
        }

        Train(Spec.Training with { Steps = step, ValidateEvery = step }, "", [(step, file)], null, cancellationToken, threads);
    }

    private TrainingResult Train(TrainingSpec training, string rewindWeightsFile, IReadOnlyList<(int Step, string File)> checkpoints, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, ThreadBudget? threads)
    {
        var member = Begin(training, rewindWeightsFile, checkpoints, progress);
        using var batches = member.Batches;
        return new Trainer(training, _data, threads).Train(Model, batches, member.Hooks, member.OnValidation, cancellationToken);
    }

    /// <summary>This iteration as a member of a bundle (<see cref="IterationBundle"/>): what <c>Train</c> trains alone, its
    /// start weights restored now. The caller disposes the member's batch generator.</summary>
    public BundleMember AsBundleMember(string rewindWeightsFile, IReadOnlyList<(int Step, string File)> checkpoints, IProgress<TrainingProgress>? progress) =>
        Begin(Spec.Training, rewindWeightsFile, checkpoints, progress);

    /// <summary>Restores the weights training starts from (the initial weights for iteration 0 and procedures that prune at
    /// initialisation, else the rewind weights) and returns the run's batch generator for this iteration, its checkpoint
    /// hooks and its progress reports.</summary>
    private BundleMember Begin(TrainingSpec training, string rewindWeightsFile, IReadOnlyList<(int Step, string File)> checkpoints, IProgress<TrainingProgress>? progress)
    {
        if (Iteration == 0 || PruningStrategies.Get(Spec.Pruning.Method).StartsFromInitialisation)
        {
            _initial.Restore(Model);
        }
        else
        {
            using var rewind = WeightSnapshot.FromTensors(TensorArchive.Load(rewindWeightsFile));
            rewind.Restore(Model);
        }

        var hooks = Iteration == 0
            ? checkpoints.Select(c => new Trainer.StepHook(c.Step, m => SaveCheckpoint(c.File, m))).ToList()
            : [];
        var clock = Stopwatch.StartNew();
        var batches = SeedStreams.Generator(Spec.Seed, $"batches/{Iteration}");
        double best = 0, density = Density;
        return new BundleMember(training, _data, Model, batches, hooks, point =>
        {
            best = Math.Max(best, point.ValAccuracy);
            progress?.Report(new TrainingProgress(Iteration, point.Step, training.Steps, point.TrainLoss, point.ValAccuracy, best, density, clock.Elapsed));
        });
    }

    /// <summary>Takes the trained weights of this iteration from its final.npz instead of training.</summary>
    public void LoadTrained(string finalWeightsFile)
    {
        using var trained = WeightSnapshot.FromTensors(TensorArchive.Load(finalWeightsFile));
        trained.Restore(Model);
    }

    public void SaveTrained(string finalWeightsFile)
    {
        using var final = WeightSnapshot.Capture(Model);
        TensorArchive.Save(finalWeightsFile, final.Tensors);
    }

    /// <summary>What the run's procedure makes of the trained network, limits aside (<see cref="RunLimits"/>):
    /// <paramref name="history"/> holds the iterations before this one, <paramref name="maskOf"/> gives the mask an
    /// earlier iteration trained with.</summary>
    public PruningDecision Prune(double bestValAccuracy, IReadOnlyList<IterationOutcome> history, Func<int, MaskSet> maskOf)
    {
        using var random = SeedStreams.Generator(Spec.Seed, $"pruning/{Iteration}");
        return PruningStrategies.Get(Spec.Pruning.Method)
            .Next(new PruningContext(Spec, Iteration, bestValAccuracy, Mask, Model, _initial, _data, history, maskOf, random));
    }

    public MaskSet DenseMask() => MaskSet.Dense(Model.LayerWidths);

    private static void SaveCheckpoint(string file, MaskedMlp model)
    {
        if (File.Exists(file))
        {
            return;
        }

        using var snapshot = WeightSnapshot.Capture(model);
        TensorArchive.Save(file, snapshot.Tensors);
    }

    public void Dispose()
    {
        Mask.Dispose();
        _initial.Dispose();
        Model.Dispose();
        _data.Dispose();
        _scope.Dispose();
    }

    private static WeightSnapshot InitialWeights(string file, MaskedMlp model, long seed)
    {
        if (File.Exists(file))
        {
            return WeightSnapshot.FromTensors(TensorArchive.Load(file));
        }

        using var generator = SeedStreams.Generator(seed, "initialisation");
        model.Initialise(generator);
        var snapshot = WeightSnapshot.Capture(model);
        TensorArchive.Save(file, snapshot.Tensors);
        return snapshot;
    }
}
