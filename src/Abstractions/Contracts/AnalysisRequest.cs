namespace Grid.Abstractions.Contracts;

/// <summary>Analyses to compute on one finished iteration.</summary>
[GenerateSerializer, Immutable]
public sealed record AnalysisRequest
{
    [Id(0)] public RunRequest Run { get; init; } = new();
    [Id(1)] public int Iteration { get; init; }
    [Id(2)] public IReadOnlyList<string> Analyses { get; init; } = [];

    public string GrainKey => GrainKeys.Iteration(Run.SweepHash, Run.RunHash, Iteration);
}
