namespace Grid.Engine.Runs.Store;

/// <summary>
/// pruned.json in a line's iter-NNN/: how the mask iteration NNN trains with was cut from iteration NNN-1's trained
/// weights, or why the procedure ends there. Whether a run stops is its own affair (<see cref="Pruning.RunLimits"/>): the
/// record keeps what the limits need, the next mask's fraction of connected nodes per layer.
/// </summary>
public sealed record PruneRecord
{
    public const string FileName = "pruned.json";

    /// <summary>The iteration that trains with the mask (one more than the iteration it was cut from).</summary>
    public required int Iteration { get; init; }

    /// <summary>Why the procedure ends before this iteration; null when there is a mask.</summary>
    public string? StopReason { get; init; }

    /// <summary>The mask's fraction of nodes with an incoming weight, per linear layer.</summary>
    public IReadOnlyList<double>? ConnectedNodeFractions { get; init; }

    /// <summary>The mask file (relative to the line), its size and SHA-256.</summary>
    public ArtifactFile? Mask { get; init; }

    /// <summary>SHA-256 of the final.npz the mask was cut from: a record whose source changed is cut again.</summary>
    public required string FromSha256 { get; init; }
}
