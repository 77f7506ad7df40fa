namespace Grid.Abstractions.Contracts;

/// <summary>Analyses to compute on one finished iteration.</summary>
[GenerateSerializer, Immutable]
public sealed record AnalysisRequest
{
    [Id(0)] public RunRequest Run { get; init; } = new();
    [Id(1)] public int Iteration { get; init; }
    [Id(2)] public IReadOnlyList<string> Analyses { get; init; } = [];

    /// <summary>How many times iterations of the run were set aside and trained again: analyses of a retrained
    /// iteration belong to another grain than those of the iteration it replaced.</summary>
    [Id(3)] public int Generation { get; init; }

    public string GrainKey => GrainKeys.Iteration(Run.SweepHash, Run.RunHash, Iteration) + (Generation > 0 ? $"@{Generation}" : "");
}
