namespace Grid.Engine.Data;

/// <summary>
/// Where the catalog looks for one dataset on this machine: the directory it reads (<see cref="Directory"/>), what chose
/// it (<see cref="Origin"/>: dataset.path, the dataset's environment variable, the data directory or the system
/// default), and every directory it considered, in order.
/// </summary>
public sealed record DatasetLocation(string Name, string Directory, string Origin, IReadOnlyList<string> Considered)
{
    public const string SpecPath = "dataset.path";
    public const string DataDirectoryOrigin = "the data directory";
    public const string SystemDefaultOrigin = "the system default";

    public bool Exists => System.IO.Directory.Exists(Directory);

    /// <summary>Set explicitly (dataset.path or the dataset's variable), rather than found in a default place.</summary>
    public bool IsExplicit => Origin == SpecPath || Origin.StartsWith('$');
}
