namespace Grid.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record IterationSnapshot
{
    [Id(0)] public IterationState State { get; init; }

    /// <summary>Address of the silo hosting the iteration.</summary>
    [Id(1)] public string Silo { get; init; } = "";
    [Id(2)] public IterationProgress? Progress { get; init; }
    [Id(3)] public IterationResult? Result { get; init; }
    [Id(4)] public string? Error { get; init; }

    /// <summary>True when this activation trained the iteration; false when it read a finished one back from disk.</summary>
    [Id(5)] public bool Trained { get; init; }

    /// <summary>The device that trains (or trained) the iteration, once a slot took it.</summary>
    [Id(6)] public string? Device { get; init; }

    /// <summary>What kind of failure <see cref="Error"/> is, when <see cref="State"/> is Failed.</summary>
    [Id(7)] public FailureKind Failure { get; init; }

    /// <summary>How many iterations train (or trained) together with this one as a bundle on its slot, itself included:
    /// 1 alone, 0 before a slot took it.</summary>
    [Id(8)] public int BundleMembers { get; init; }

    /// <summary>While the iteration waits in its silo's queue for more members of its bundle: how many iterations of
    /// its shape are queued there (itself included), out of <see cref="GatherCapacity"/>; 0 otherwise.</summary>
    [Id(9)] public int Gathered { get; init; }

    /// <summary>How many members the bundles it waits for could take on the silo's free slots; 0 when not gathering.</summary>
    [Id(10)] public int GatherCapacity { get; init; }
}
