using System.Reflection;

namespace Grid.Tests.Shared;

/// <summary>
/// Files of the repository: the directory holding Grid.sln, found by walking up from the test's output directory,
/// or, when the output lies outside the tree (dotnet test --artifacts-path /tmp/...), the one it was built from.
/// </summary>
public static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative)
    {
        string path = PathOf(relative);
        Assert.True(File.Exists(path), $"{relative} does not exist (looked in {Root})");
        return File.ReadAllText(path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grid.sln")))
            {
                return dir.FullName;
            }
        }

        string? built = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "GridRepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Grid.sln")))
        {
            return built;
        }

        throw new InvalidOperationException($"cannot find Grid.sln above {AppContext.BaseDirectory} or at {built}");
    }
}
