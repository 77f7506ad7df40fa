namespace Grid.Abstractions.Contracts;

/// <summary>What identifies a sweep: its key (hash), name and directory under the results root.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepInfo
{
    [Id(0)] public string Hash { get; init; } = "";
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public string Directory { get; init; } = "";
    [Id(3)] public int RunCount { get; init; }
    [Id(4)] public IReadOnlyList<string> Axes { get; init; } = [];
    [Id(5)] public IReadOnlyList<string> Analysis { get; init; } = [];
    [Id(6)] public DateTimeOffset Created { get; init; }
}
