using Grid.Engine.Data;

namespace Grid.Cluster.Tests.Support;

/// <summary>
/// The environment of a `grid` process on a machine whose datasets are only those the test puts there: the data
/// directory is the test's, and no GRID_*_DIR variable points anywhere (Fashion-MNIST's system directory stays).
/// </summary>
public static class DataEnvironment
{
    public static Dictionary<string, string> With(string dataDirectory, params (string Key, string Value)[] extra)
    {
        var environment = DatasetCatalog.Sources.Values.ToDictionary(s => s.EnvironmentVariable, _ => "");
        environment[DataDirectory.EnvironmentVariable] = dataDirectory;
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }
}
