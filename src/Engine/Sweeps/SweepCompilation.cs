namespace Grid.Engine.Sweeps;

/// <summary>The result of checking a sweep file: the sweep and its runs when valid, otherwise every error.</summary>
public sealed record SweepCompilation(SweepDefinition? Sweep, IReadOnlyList<RunPlan> Runs, IReadOnlyList<SpecError> Errors)
{
    /// <summary>What was not checked and why (e.g. a dataset absent here, with <see cref="SweepCheckOptions.AbsentDatasetIsWarning"/>).</summary>
    public IReadOnlyList<SpecError> Warnings { get; init; } = [];

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

    /// <summary>A dataset that is not on this machine at all is a warning (its files and image counts go unchecked)
    /// rather than an error: for a sweep checked where it will not be trained (`grid run --dry-run` on a laptop for a
    /// cluster). Files that are there but wrong stay errors.</summary>
    public bool AbsentDatasetIsWarning { get; init; }

    /// <summary>Names the analysis list may use (the analysis registry); null = any name.</summary>
    public IReadOnlyCollection<string>? KnownAnalyses { get; init; }

    /// <summary>Refuse matrices larger than this.</summary>
    public int MaxRuns { get; init; } = 10_000;
}
