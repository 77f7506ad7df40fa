using System.Diagnostics;
using System.Reflection;
using Grid.Tests.Shared;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>What one Grid.Bench process did.</summary>
public sealed record BenchOutcome(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}

/// <summary>
/// Runs the benchmark console (its own build output, recorded by Analysis.Tests.csproj) as a process. The command lines
/// the tests give it must end before anything is measured; one still running after <see cref="ProgressWait.EventBound"/>
/// has started a benchmark, so it is killed and the test fails.
/// </summary>
public static class BenchProcess
{
    public static async Task<BenchOutcome> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Executable);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!await process.ExitsWithinAsync(ProgressWait.EventBound))
            {
                process.KillTreeAndDispose();
                Assert.Fail($"`Grid.Bench {string.Join(' ', arguments)}` still ran after {ProgressWait.EventBound.TotalMinutes} min: it started a benchmark");
            }

            return new BenchOutcome(process.ExitCode, await output, await errors);
        }
        finally
        {
            process.KillTreeAndDispose();
        }
    }

    private static string Executable
    {
        get
        {
            string? path = typeof(BenchProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "BenchExecutable")?.Value;
            Assert.True(path is not null, "Analysis.Tests was built without the path of Grid.Bench.dll (target RecordBenchExecutable)");
            Assert.True(File.Exists(path), $"{path} does not exist: build src/Bench first");
            return path!;
        }
    }
}
