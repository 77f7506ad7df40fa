namespace Grid.Engine.Training.Backprop;

/// <summary>The values of <c>training.kernel</c>: how a pruned layer is trained.</summary>
public static class KernelKinds
{
    /// <summary>The host's measured cost model picks dense or sparse per layer per iteration.</summary>
    public const string Auto = "auto";

    /// <summary>Dense matrix products with masked gradients (every weight costs, pruned or not).</summary>
    public const string Dense = "dense";

    /// <summary>Products over the unpruned weights only (CPU), for every prunable layer.</summary>
    public const string Sparse = "sparse";

    public static readonly IReadOnlyList<string> All = [Auto, Dense, Sparse];
}
