namespace Grid.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record IterationRequest
{
    [Id(0)] public RunRequest Run { get; init; } = new();
    [Id(1)] public int Iteration { get; init; }

    public string GrainKey => GrainKeys.Iteration(Run.SweepHash, Run.RunHash, Iteration);
}
