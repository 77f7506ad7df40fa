using System.Diagnostics;

namespace Grid.Cluster.Tests.Support;

/// <summary>One `grid` command run as a process to its end, within a bound.</summary>
public sealed record CliResult(int ExitCode, string Output, string Errors, TimeSpan Elapsed)
{
    public string All => Output + Errors;

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F0} s\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}

public static class CliRun
{
    /// <summary>Runs `grid ARGUMENTS` in <paramref name="directory"/>; a process still running after
    /// <paramref name="bound"/> is killed and the test fails with what it printed.</summary>
    public static Task<CliResult> RunAsync(string directory, TimeSpan bound, params string[] arguments) =>
        RunAsync(directory, bound, new Dictionary<string, string>(), arguments);

    /// <summary>The same with <paramref name="environment"/> added to the process's environment.</summary>
    public static async Task<CliResult> RunAsync(string directory, TimeSpan bound, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        var start = GridExecutables.CliStart(directory, arguments);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`grid {string.Join(' ', arguments)}` did not end within {bound.TotalSeconds} s:\n{await stdout}\n{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }
}
