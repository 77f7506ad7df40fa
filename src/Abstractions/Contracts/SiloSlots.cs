namespace Grid.Abstractions.Contracts;

/// <summary>Device slots of one silo and how many are in use; published to the slot board for placement.</summary>
[GenerateSerializer, Immutable]
public sealed record SiloSlots
{
    /// <summary>SiloAddress.ToParsableString() of the silo.</summary>
    [Id(0)] public string Silo { get; init; } = "";
    [Id(1)] public int Slots { get; init; }
    [Id(2)] public int Busy { get; init; }
    [Id(3)] public int Queued { get; init; }
    [Id(4)] public string Device { get; init; } = "";
    [Id(5)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The queued iterations by bundle key, and (count 0) keys that may bundle here and queued lately: placement
    /// sends an iteration where its key waits, and knows how many one bundle of it may take.</summary>
    [Id(6)] public IReadOnlyList<QueuedShape> Shapes { get; init; } = [];

    /// <summary>The iterations this silo holds (admitted, queued or training), by grain key: a silo that placed one here
    /// stops adding it to this report once it shows.</summary>
    [Id(7)] public IReadOnlyList<string> Iterations { get; init; } = [];
}
