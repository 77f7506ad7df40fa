using Grid.Engine.Sweeps;

namespace Grid.Engine.Runs.Store;

/// <summary>What migrating one run directory into the run store did (or, in a dry run, would do).</summary>
public sealed record RunMigration
{
    public required int Index { get; init; }

    /// <summary>The run's hash (its directory's name).</summary>
    public required string Hash { get; init; }

    /// <summary>Trained iterations put into the store.</summary>
    public int Imported { get; init; }

    /// <summary>Trained iterations the store already held, with the same arrays (trained by another run or sweep).</summary>
    public int AlreadyStored { get; init; }

    /// <summary>True when the run directory is linked to the store (store.json): its next iterations come from there.
    /// False for a run that differs from what the store holds: it goes on in its own directory.</summary>
    public bool Linked { get; init; }

    /// <summary>Why nothing was done to the run (its dataset is not on this machine, it is being trained): a later pass
    /// migrates it. Null when the run was handled.</summary>
    public string? Skipped { get; init; }

    /// <summary>What people should know: iterations that did not verify, a difference from the store.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>What migrating one sweep written before the run store did (or would do).</summary>
public sealed record SweepMigration(SweepManifest Sweep, IReadOnlyList<RunMigration> Runs)
{
    public int Imported => Runs.Sum(r => r.Imported);

    public int AlreadyStored => Runs.Sum(r => r.AlreadyStored);

    public IReadOnlyList<RunMigration> Skipped => [.. Runs.Where(r => r.Skipped is not null)];

    /// <summary>True when every run was handled, so that sweep.json says format 2 (or, in a dry run, would).</summary>
    public bool Complete => Skipped.Count == 0;
}
