namespace Grid.Engine.Sweeps;

/// <summary>The result of checking a sweep file: the sweep and its runs when valid, otherwise every error.</summary>
public sealed record SweepCompilation(SweepDefinition? Sweep, IReadOnlyList<RunPlan> Runs, IReadOnlyList<SpecError> Errors)
{
    public bool IsValid => Errors.Count == 0 && Sweep is not null;

    /// <summary>The sweep, or a <see cref="SweepSpecException"/> listing every error.</summary>
    public SweepDefinition Require() => IsValid ? Sweep! : throw new SweepSpecException(Errors);
}

public sealed record SweepCheckOptions
{
    public static readonly SweepCheckOptions Default = new();

    /// <summary>Check that the dataset and mapping files exist and look right (off where the files live on other
    /// machines, e.g. a client submitting to a remote cluster: the cluster checks them).</summary>
    public bool CheckDatasetFiles { get; init; } = true;

    /// <summary>Names the analysis list may use (the analysis registry); null = any name.</summary>
    public IReadOnlyCollection<string>? KnownAnalyses { get; init; }

    /// <summary>Refuse matrices larger than this.</summary>
    public int MaxRuns { get; init; } = 10_000;
}
