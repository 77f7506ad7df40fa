using Grid.Engine.Model;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Pruning;

/// <summary>Everything a procedure may look at after iteration <see cref="FinishedIteration"/> trained
/// (<see cref="History"/> holds the iterations before it).</summary>
public sealed record PruningContext(
    ExperimentSpec Spec,
    int FinishedIteration,
    double BestValAccuracy,
    MaskSet CurrentMask,
    MaskedMlp TrainedModel,
    WeightSnapshot InitialWeights,
    IBatchSource Data,
    IReadOnlyList<IterationOutcome> History,
    Func<int, MaskSet> MaskOfIteration,
    Generator Random)
{
    public IReadOnlyList<bool> Prunable => TrainedModel.PruneFlags;

    /// <summary>A fresh network holding the initial weights (for procedures that prune at initialisation).</summary>
    public MaskedMlp InitialModel()
    {
        var model = MaskedMlp.For(Spec, Data, TrainedModel.Device);
        InitialWeights.Restore(model);
        return model;
    }

    /// <summary>Trained weights of every linear layer, on the CPU.</summary>
    public IReadOnlyList<Tensor> TrainedWeights() =>
        [.. Enumerable.Range(0, TrainedModel.LayerCount).Select(l => TrainedModel.Linear(l).weight!.detach().to(CPU))];
}

/// <summary>The mask of the next iteration, or why the run stops here.</summary>
public sealed record PruningDecision(MaskSet? NextMask, string? StopReason)
{
    public static PruningDecision Stop(string reason) => new(null, reason);
}

/// <summary>A pruning procedure (docs/science.md §3-4): after each trained iteration it proposes the next mask or stops
/// because the procedure itself ends there. How far a run goes (<c>max_iterations</c>, <c>stop_ratio</c>) is not the
/// procedure's to decide: <see cref="RunLimits"/> applies it, so that the masks stored for one run serve every run that
/// goes further.</summary>
public interface IPruningStrategy
{
    /// <summary>The name used in specs (pruning.method).</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>True when pruned iterations restart from the initial weights (pruning at initialisation)
    /// rather than from the rewind weights of iteration 0.</summary>
    bool StartsFromInitialisation => false;

    /// <summary>The pruning fields (snake_case, besides <c>method</c>) this procedure reads: they make its line's
    /// identity (<see cref="Runs.Store.RunIdentity"/>); the fields of other procedures are left out of it.</summary>
    IReadOnlyList<string> Parameters { get; }

    /// <summary>True when <c>pruning.max_iterations</c> bounds the run (procedures that prune again and again).</summary>
    bool Iterative => false;

    /// <summary>True when <c>pruning.stop_ratio</c> ends the run (<see cref="StopCriterion"/>).</summary>
    bool StopsAtRatio => false;

    PruningDecision Next(PruningContext context);
}
