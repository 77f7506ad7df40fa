using System.Diagnostics;
using System.Reflection;

namespace Grid.Cluster.Tests.Support;

/// <summary>The build outputs the tests run as processes (recorded by Cluster.Tests.csproj at build time).</summary>
public static class GridExecutables
{
    public static string Silo => Find("Grid.Silo");

    public static string Cli => Find("grid");

    /// <summary>
    /// Grid:AnalysisIdleClass of every process the tests start: off. In Linux's idle scheduling class an analysis gets
    /// almost no CPU while other processes keep every core busy (a shared CI runner), so a sweep would wait for its
    /// analyses until the machine is quiet; at nice 10 they still leave training its cores.
    /// </summary>
    public const string AnalysisIdleClass = "false";

    /// <summary>`dotnet grid.dll ARGUMENTS` in <paramref name="workingDirectory"/>, output captured, no colours.</summary>
    public static ProcessStartInfo CliStart(string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Cli);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["Grid__AnalysisIdleClass"] = AnalysisIdleClass;
        return start;
    }

    private static string Find(string name)
    {
        string? path = typeof(GridExecutables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "GridExecutable:" + name)?.Value;
        Assert.True(path is not null, $"Cluster.Tests was built without the path of {name}.dll (target RecordGridExecutables)");
        Assert.True(File.Exists(path), $"{path} does not exist: build the solution (or src/Silo and src/Client) first");
        return path!;
    }
}
