namespace Grid.Engine.Data;

/// <summary>
/// How the catalog finds and reads one named dataset: the environment variable naming its directory, the
/// default directory (if any) with an installation hint, and the format's full loader and cheap validator (which
/// returns the image counts when the format tells them without reading the images, else null).
/// </summary>
public sealed record DatasetSource(
    string Name,
    string EnvironmentVariable,
    string? DefaultDirectory,
    string? InstallHint,
    Func<string, DatasetSplit> LoadFull,
    Func<string, DatasetCounts?> Validate);
