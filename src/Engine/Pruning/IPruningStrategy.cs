using Grid.Engine.Model;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Pruning;

/// <summary>Everything a procedure may look at after iteration <see cref="FinishedIteration"/> trained.</summary>
public sealed record PruningContext(
    ExperimentSpec Spec,
    int FinishedIteration,
    MaskSet CurrentMask,
    MaskedMlp TrainedModel,
    WeightSnapshot InitialWeights,
    IBatchSource Data,
    IReadOnlyList<IterationOutcome> History,
    Generator Random)
{
    public IReadOnlyList<bool> Prunable => TrainedModel.PruneFlags;

    /// <summary>Trained weights of every linear layer, on the CPU.</summary>
    public IReadOnlyList<Tensor> TrainedWeights() =>
        [.. Enumerable.Range(0, TrainedModel.LayerCount).Select(l => TrainedModel.Linear(l).weight!.detach().to(CPU))];
}

/// <summary>The mask of the next iteration, or why the run stops here.</summary>
public sealed record PruningDecision(MaskSet? NextMask, string? StopReason)
{
    public static PruningDecision Stop(string reason) => new(null, reason);
}

/// <summary>A pruning procedure (SPEC §3-4): after each trained iteration it proposes the next mask or stops.</summary>
public interface IPruningStrategy
{
    /// <summary>The name used in specs (pruning.method).</summary>
    string Name { get; }

    string Description { get; }

    PruningDecision Next(PruningContext context);
}
