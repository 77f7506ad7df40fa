namespace Grid.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record SubmitResult
{
    [Id(0)] public bool Accepted { get; init; }

    /// <summary>Every problem of a rejected sweep, each naming its field path.</summary>
    [Id(1)] public IReadOnlyList<string> Errors { get; init; } = [];

    [Id(2)] public SweepInfo? Sweep { get; init; }

    /// <summary>Iterations already finished on disk when the sweep was (re)submitted.</summary>
    [Id(3)] public int FinishedIterations { get; init; }

    /// <summary>The analysis list the sweep had before this submission changed it (the new one is in
    /// <see cref="SweepInfo.Analysis"/>); null when the sweep is new or its list is unchanged.</summary>
    [Id(4)] public IReadOnlyList<string>? PreviousAnalysis { get; init; }

    /// <summary>What the sweep's runs take from the run store and train, counted when it was submitted; null for a sweep
    /// written before the run store (its runs train in their own directories).</summary>
    [Id(5)] public WorkPlan? Plan { get; init; }

    public static SubmitResult Rejected(IEnumerable<string> errors) => new() { Accepted = false, Errors = [.. errors] };
}
