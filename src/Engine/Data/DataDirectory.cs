namespace Grid.Engine.Data;

/// <summary>
/// This machine's directory of datasets, which `grid data fetch` and `grid data import` fill and the catalog looks in
/// when neither dataset.path nor the dataset's own variable names a directory: <c>$GRID_DATA_DIR</c>, else
/// <c>$XDG_DATA_HOME/grid/datasets</c> (<c>~/.local/share/grid/datasets</c>). Each dataset has a subdirectory named
/// like it (<c>mnist</c>, <c>cifar10</c>, <c>imagenet32</c>, ...).
/// </summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "GRID_DATA_DIR";

    /// <summary>Where datasets go when no home directory is known (a service account without one).</summary>
    private const string SystemRoot = "/var/lib/grid/datasets";

    public static string Root
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return Path.GetFullPath(configured);
            }

            string user = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return string.IsNullOrEmpty(user) ? SystemRoot : Path.Combine(user, "grid", "datasets");
        }
    }

    /// <summary>The dataset's subdirectory of <see cref="Root"/>.</summary>
    public static string For(string dataset) => Path.Combine(Root, dataset);
}
