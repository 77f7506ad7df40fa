using System.Diagnostics;

namespace Grid.Cluster.Tests.Support;

/// <summary>What one `grid` process did: exit code, everything it printed, how long it took, its peak resident memory.</summary>
public sealed record CliOutcome(int ExitCode, string Output, TimeSpan Elapsed, long PeakResidentBytes);

/// <summary>
/// Runs the `grid` CLI as a process (<see cref="GridExecutables.CliStart"/>) with a hard limit on its managed heap, so
/// that input which makes it grow fails fast with an out-of-memory error instead of filling the machine, and samples
/// its peak resident set (VmHWM) while it runs.
/// </summary>
public static class CliProcess
{
    /// <summary>The managed heap the process may use (DOTNET_GCHeapHardLimit); a dry run needs a few tens of MB.</summary>
    public const long HeapLimitBytes = 256L << 20;

    public static async Task<CliOutcome> RunAsync(string workingDirectory, IEnumerable<string> arguments, TimeSpan bound,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = GridExecutables.CliStart(workingDirectory, arguments);
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("X");
        start.Environment["COLUMNS"] = "1000"; // messages stay on one line, whole
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, PeakResidentBytes(process.Id));
            if (clock.Elapsed > bound)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"`grid {string.Join(' ', start.ArgumentList.Skip(1))}` was still running after {bound.TotalSeconds} s:\n{await stdout}{await stderr}");
            }
        }

        await process.WaitForExitAsync();
        return new CliOutcome(process.ExitCode, await stdout + await stderr, clock.Elapsed, peak);
    }

    /// <summary>VmHWM of /proc/PID/status in bytes; 0 once the process is gone.</summary>
    private static long PeakResidentBytes(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
