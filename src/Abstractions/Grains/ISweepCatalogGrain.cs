using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>Read-only view of the sweeps in the cluster's results store (key: 0). Activates no coordinator.</summary>
public interface ISweepCatalogGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<SweepStatus>> List();

    /// <summary>Finds a sweep by directory name, hash, hash prefix or name.</summary>
    Task<SweepInfo> Resolve(string reference);

    /// <summary>summary.csv (or aggregate.csv) of the sweep, or null before its first summary was written.</summary>
    Task<string?> ReadTable(string sweepHash, bool aggregate);

    /// <summary>Finished iterations of the sweep whose files are missing or of the wrong size, one line each naming the file.</summary>
    Task<IReadOnlyList<string>> Verify(string sweepHash);
}
