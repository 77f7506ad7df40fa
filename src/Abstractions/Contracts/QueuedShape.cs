namespace Grid.Abstractions.Contracts;

/// <summary>Iterations of one bundle key waiting in a silo's queue, and how many of them one bundle there may take.</summary>
[GenerateSerializer, Immutable]
public sealed record QueuedShape
{
    /// <summary>The trainer's bundle key: iterations with equal keys may train together.</summary>
    [Id(0)] public string Key { get; init; } = "";
    [Id(1)] public int Count { get; init; }

    /// <summary>The most members of one bundle of this key on that silo (its slots' and Grid:MaxBundle's cap); at least 1.</summary>
    [Id(2)] public int Members { get; init; } = 1;
}
