namespace Grid.Abstractions.Contracts;

/// <summary>Live progress of one training iteration.</summary>
[GenerateSerializer, Immutable]
public sealed record IterationProgress
{
    [Id(0)] public int Iteration { get; init; }
    [Id(1)] public int Step { get; init; }
    [Id(2)] public int TotalSteps { get; init; }
    [Id(3)] public double TrainLoss { get; init; }
    [Id(4)] public double? ValAccuracy { get; init; }
    [Id(5)] public double BestValAccuracy { get; init; }
    [Id(6)] public double UnprunedFraction { get; init; }
    [Id(7)] public double ElapsedSeconds { get; init; }

    /// <summary>Seconds until this iteration ends, extrapolated from the steps done.</summary>
    [Id(8)] public double? EtaSeconds { get; init; }
}
