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

    /// <summary>A command that must end within <paramref name="bound"/> whatever it was given (bad input, a dry run).</summary>
    public static Task<CliOutcome> RunAsync(string workingDirectory, IEnumerable<string> arguments, TimeSpan bound,
        IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(workingDirectory, arguments, environment, (clock, _) => clock.Elapsed > bound ? $"was still running after {bound.TotalSeconds} s" : null);

    /// <summary>
    /// A command that works (trains, analyses) as long as the machine lets it: it is stopped, and the test fails, only
    /// when neither its output nor the files under <paramref name="watched"/> (its results) changed for
    /// <see cref="ProgressWait.Stall"/>.
    /// </summary>
    public static Task<CliOutcome> RunWorkAsync(string workingDirectory, IEnumerable<string> arguments, string watched,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        string last = "";
        TimeSpan movedAt = TimeSpan.Zero, checkedAt = TimeSpan.Zero;
        return RunAsync(workingDirectory, arguments, environment, (clock, process) =>
        {
            if (clock.Elapsed - checkedAt < TimeSpan.FromSeconds(1))
            {
                return null;
            }

            checkedAt = clock.Elapsed;
            string progress = $"{process.Lines} lines of output; {ProgressWait.FilesUnder(watched)}";
            if (progress != last)
            {
                last = progress;
                movedAt = clock.Elapsed;
                return null;
            }

            return clock.Elapsed - movedAt > ProgressWait.Stall
                ? $"made no progress for {ProgressWait.Stall.TotalSeconds} s ({progress}; load average {ProgressWait.LoadAverage()})"
                : null;
        });
    }

    /// <param name="stuck">Asked every 20 ms while the process runs: why it must be stopped, or null.</param>
    private static async Task<CliOutcome> RunAsync(string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment, Func<Stopwatch, WatchedProcess, string?> stuck)
    {
        var start = GridExecutables.CliStart(workingDirectory, arguments);
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("X");
        start.Environment["COLUMNS"] = "1000"; // messages stay on one line, whole
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = WatchedProcess.Start(start);
        // Sampled once at once: a process refused in 0.8 s on a busy machine once read a peak of 0, no sample taken while it
        // ran (cause not isolated; the 20 ms waits may have returned late), which failed a test's "sampled at least once".
        long peak = PeakResidentBytes(process.Id);
        while (!await process.WaitForExitAsync(TimeSpan.FromMilliseconds(20)))
        {
            peak = Math.Max(peak, PeakResidentBytes(process.Id));
            if (stuck(clock, process) is { } why)
            {
                process.Dispose();
                Assert.Fail($"`grid {string.Join(' ', start.ArgumentList.Skip(1))}` {why}:\n{process.Output}");
            }
        }

        return new CliOutcome(process.ExitCode, process.Output, clock.Elapsed, peak);
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
