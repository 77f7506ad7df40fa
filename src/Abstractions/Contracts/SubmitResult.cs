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

    public static SubmitResult Rejected(IEnumerable<string> errors) => new() { Accepted = false, Errors = [.. errors] };
}
