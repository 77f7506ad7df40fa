namespace Grid.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record AnalysisSnapshot
{
    [Id(0)] public bool Running { get; init; }
    [Id(1)] public IReadOnlyList<string> Completed { get; init; } = [];

    /// <summary>analysis name → error, for analyses that failed.</summary>
    [Id(2)] public IReadOnlyDictionary<string, string> Failed { get; init; } = new Dictionary<string, string>();
}
