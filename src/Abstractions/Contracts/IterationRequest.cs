namespace Grid.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record IterationRequest
{
    [Id(0)] public RunRequest Run { get; init; } = new();
    [Id(1)] public int Iteration { get; init; }

    /// <summary>The run's generation when it asked (how many times its iterations were set aside and trained again): the
    /// iteration's reports carry the request back, and the run ignores those of an older generation.</summary>
    [Id(2)] public int Generation { get; init; }

    public string GrainKey => GrainKeys.Iteration(Run.SweepHash, Run.RunHash, Iteration);
}
