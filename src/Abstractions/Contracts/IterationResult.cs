namespace Grid.Abstractions.Contracts;

/// <summary>The outcome of one finished pruning iteration (the engine's iter-NNN/summary.json).</summary>
[GenerateSerializer, Immutable]
public sealed record IterationResult
{
    [Id(0)] public int Iteration { get; init; }
    [Id(1)] public double UnprunedFraction { get; init; }
    [Id(2)] public IReadOnlyList<double> LayerUnprunedFractions { get; init; } = [];
    [Id(3)] public double BestValAccuracy { get; init; }
    [Id(4)] public double BestValTop5 { get; init; }
    [Id(5)] public int BestStep { get; init; }
    [Id(6)] public double FinalTrainLoss { get; init; }
    [Id(7)] public double TrainSeconds { get; init; }
    [Id(8)] public bool IsLast { get; init; }
    [Id(9)] public string? StopReason { get; init; }
}

public static class IterationResults
{
    /// <summary>The iteration with the highest <see cref="IterationResult.BestValAccuracy"/>; the earliest (least
    /// pruned) of equals; null for none.</summary>
    public static IterationResult? Best(IEnumerable<IterationResult> iterations) =>
        iterations.Aggregate((IterationResult?)null, (best, next) => best is null || next.BestValAccuracy > best.BestValAccuracy ? next : best);
}
