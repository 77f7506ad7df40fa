using System.Reflection;

namespace Grid.Cluster.Tests.Support;

/// <summary>The build outputs the tests run as processes (recorded by Cluster.Tests.csproj at build time).</summary>
public static class GridExecutables
{
    public static string Silo => Find("Grid.Silo");

    public static string Cli => Find("grid");

    private static string Find(string name)
    {
        string? path = typeof(GridExecutables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "GridExecutable:" + name)?.Value;
        Assert.True(path is not null, $"Cluster.Tests was built without the path of {name}.dll (target RecordGridExecutables)");
        Assert.True(File.Exists(path), $"{path} does not exist: build the solution (or src/Silo and src/Client) first");
        return path!;
    }
}
