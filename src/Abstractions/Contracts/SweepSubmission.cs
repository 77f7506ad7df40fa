namespace Grid.Abstractions.Contracts;

/// <summary>A sweep sent to its coordinator. The coordinator checks it again (including dataset files on the silo).</summary>
[GenerateSerializer, Immutable]
public sealed record SweepSubmission
{
    /// <summary>The sweep document as JSON (the YAML file converted by the client).</summary>
    [Id(0)] public string DocumentJson { get; init; } = "";

    /// <summary>The file as written, kept as sweep.yaml for people.</summary>
    [Id(1)] public string? SourceText { get; init; }
}
