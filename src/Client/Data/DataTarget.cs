using Grid.Engine.Data;

namespace Grid.Client.Data;

/// <summary>What the directory a dataset is to be placed in holds already.</summary>
public enum TargetState
{
    /// <summary>Absent or empty: the dataset can be placed there.</summary>
    Free,

    /// <summary>Holds the dataset, and it validates.</summary>
    Valid,

    /// <summary>Holds files of the dataset that do not validate.</summary>
    Invalid,

    /// <summary>Holds other files.</summary>
    Occupied,
}

/// <summary>Where `grid data fetch` and `grid data import` put a dataset, and what is there already.</summary>
public static class DataTarget
{
    /// <summary>--dir when given; else the directory the dataset's variable names (where runs here read it); else its
    /// subdirectory of the data directory (<see cref="DataDirectory"/>).</summary>
    public static string Resolve(string dataset, string? directory)
    {
        if (!string.IsNullOrWhiteSpace(directory))
        {
            return Path.GetFullPath(directory);
        }

        var location = DatasetCatalog.Locate(dataset);
        return location.Origin.StartsWith('$') ? location.Directory : DataDirectory.For(dataset);
    }

    /// <summary>The state of <paramref name="target"/>, with the image counts (Valid) or the problem (Invalid).</summary>
    public static (TargetState State, DatasetCounts? Counts, string? Problem) Inspect(string dataset, string target)
    {
        if (!Directory.Exists(target))
        {
            return (TargetState.Free, null, null);
        }

        var source = DatasetCatalog.Source(dataset);
        if (source.HasAnyFile(target))
        {
            try
            {
                return (TargetState.Valid, source.Validate(target), null);
            }
            catch (Exception error) when (error is DatasetException or IOException or UnauthorizedAccessException)
            {
                return (TargetState.Invalid, null, error.Message);
            }
        }

        return Directory.EnumerateFileSystemEntries(target).Any() ? (TargetState.Occupied, null, null) : (TargetState.Free, null, null);
    }

    /// <summary>How runs on this machine find a dataset placed in <paramref name="target"/>, or null when they already do.</summary>
    public static string? HowRunsFindIt(string dataset, string target)
    {
        var location = DatasetCatalog.Locate(dataset);
        if (string.Equals(location.Directory, target, StringComparison.Ordinal))
        {
            return null;
        }

        var source = DatasetCatalog.Source(dataset);
        return $"runs here read {location.Directory} ({location.Origin}); to read this copy, set {source.EnvironmentVariable}={target} or dataset.path: {target}";
    }
}
