namespace Grid.Engine.Data;

/// <summary>
/// How the catalog finds and reads one named dataset: the environment variable naming its directory, the system's
/// default directory (if any), the commands that put it on this machine, the names of its files (any of them present
/// means the dataset is there, whole or not), and the format's full loader and cheap validator (which returns the
/// image counts when the format tells them without reading the images, else null).
/// </summary>
public sealed record DatasetSource(
    string Name,
    string EnvironmentVariable,
    string? DefaultDirectory,
    IReadOnlyList<string> GetHints,
    IReadOnlyList<string> FileNames,
    Func<string, DatasetSplit> LoadFull,
    Func<string, DatasetCounts?> Validate)
{
    /// <summary>Whether the directory (or one of its immediate subdirectories) holds any file of the dataset.</summary>
    public bool HasAnyFile(string directory) =>
        Directory.Exists(directory) && DatasetFiles.Find(directory, [.. FileNames]) is not null;

    /// <summary>"run `a` or `b`", for error messages.</summary>
    public string HowToGet => GetHints.Count == 0 ? "" : "run " + string.Join(" or ", GetHints.Select(h => $"`{h}`"));
}
