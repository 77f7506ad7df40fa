using Grid.Engine.Model;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Bundles;

/// <summary>
/// One run's part of a bundle: everything that makes it its own run. Its training spec (what trains in lockstep must
/// agree with the other members': <see cref="BundleCompatibility"/>), its batches (labels, task transform, data
/// fraction) and the generator its batch indices come from, its network with its start weights and mask, and the
/// hooks and validation callback of its solo training (<see cref="Trainer"/>), and its own cancellation.
/// </summary>
public sealed record BundleMember(
    TrainingSpec Spec,
    IBatchSource Data,
    MaskedMlp Model,
    Generator Batches,
    IReadOnlyList<Trainer.StepHook> Hooks,
    Action<CurvePoint>? OnValidation)
{
    /// <summary>Cancels this member alone: it stops being a member (its failure an <see cref="OperationCanceledException"/>)
    /// and the others train on.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>A member's training: its result, or why it failed (e.g. <see cref="TrainingDivergedException"/>) while the
/// other members trained on.</summary>
public sealed record MemberResult(TrainingResult? Result, Exception? Failure)
{
    /// <summary>The result, or the member's failure thrown.</summary>
    public TrainingResult Value => Result ?? throw Failure!;
}
