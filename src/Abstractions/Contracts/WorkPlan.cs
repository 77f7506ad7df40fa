namespace Grid.Abstractions.Contracts;

/// <summary>A sweep's work against the run store when it was submitted (summed over its runs).</summary>
[GenerateSerializer, Immutable]
public sealed record WorkPlan
{
    /// <summary>Iterations the sweep will train (an estimate unless <see cref="Exact"/>).</summary>
    [Id(0)] public int ToTrain { get; init; }

    /// <summary>Iterations already in the run store, trained by this or any other sweep.</summary>
    [Id(1)] public int Reused { get; init; }

    /// <summary>Iterations that several runs of this sweep share (a dense trunk, or the same line): trained once.</summary>
    [Id(2)] public int Shared { get; init; }

    /// <summary>False when the stop criterion decides how many iterations are still to train.</summary>
    [Id(3)] public bool Exact { get; init; }

    /// <summary>Why some runs could not be looked up in the store (e.g. the dataset is not on the silo), or null.</summary>
    [Id(4)] public string? Unknown { get; init; }
}
