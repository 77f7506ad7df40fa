using System.Diagnostics;

namespace Grid.Tests.Shared;

/// <summary>
/// Waits for work that takes as long as the machine lets it. A busy machine (a shared CI runner, load 4-7 on 2 cores)
/// slows training down several times but does not stop it, so a wait on work fails only when the work's progress (a
/// training step, an iteration, a line of output: whatever <c>progress</c> describes) has not moved for a whole stall
/// window, never after a fixed time tuned to an idle machine. Waits on single events that do not report progress (a
/// process starting, a signal being handled) take <see cref="EventBound"/>, a bound far beyond an idle machine's need.
/// </summary>
public static class ProgressWait
{
    /// <summary>How long work may show no progress at all before a test calls it stuck.</summary>
    public static readonly TimeSpan Stall = TimeSpan.FromMinutes(3);

    /// <summary>Generous bound of a wait on one event (a silo joining, a process exiting after a signal).</summary>
    public static readonly TimeSpan EventBound = TimeSpan.FromMinutes(4);

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value. <paramref name="progress"/> describes how far the work
    /// got (compared as text); throws a <see cref="TimeoutException"/> naming <paramref name="what"/> and the last
    /// progress once it has not changed for <paramref name="stall"/> (default <see cref="Stall"/>).
    /// </summary>
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T?>> probe, Func<Task<string>> progress, TimeSpan? stall = null,
        TimeSpan? poll = null)
        where T : class
    {
        var window = stall ?? Stall;
        var clock = Stopwatch.StartNew();
        string last = await progress();
        var movedAt = clock.Elapsed;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            string now = await progress();
            if (now != last)
            {
                last = now;
                movedAt = clock.Elapsed;
            }
            else if (clock.Elapsed - movedAt > window)
            {
                throw new TimeoutException($"waited {clock.Elapsed.TotalSeconds:F0} s for {what}; no progress in the last "
                    + $"{window.TotalSeconds:F0} s (load average {LoadAverage()}); last progress: {last}");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary><see cref="UntilAsync{T}(string, Func{Task{T}}, Func{Task{string}}, TimeSpan?, TimeSpan?)"/> for a condition.</summary>
    public static async Task UntilAsync(string what, Func<Task<bool>> condition, Func<Task<string>> progress, TimeSpan? stall = null) =>
        await UntilAsync(what, async () => await condition() ? "" : null, progress, stall);

    /// <summary>Synchronous probes.</summary>
    public static Task UntilAsync(string what, Func<bool> condition, Func<string> progress, TimeSpan? stall = null) =>
        UntilAsync(what, () => Task.FromResult(condition()), () => Task.FromResult(progress()), stall);

    /// <summary>
    /// A wait on one event: polls <paramref name="condition"/> for at most <paramref name="bound"/> (default
    /// <see cref="EventBound"/>), then throws a <see cref="TimeoutException"/> naming <paramref name="what"/>.
    /// </summary>
    public static async Task ForEventAsync(string what, Func<Task<bool>> condition, TimeSpan? bound = null)
    {
        var limit = bound ?? EventBound;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:F0} s (load average {LoadAverage()})");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Synchronous probe.</summary>
    public static Task ForEventAsync(string what, Func<bool> condition, TimeSpan? bound = null) =>
        ForEventAsync(what, () => Task.FromResult(condition()), bound);

    /// <summary>Files and bytes under <paramref name="directory"/> (hidden files included): a progress signal of work that writes results.</summary>
    public static string FilesUnder(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return "no directory";
        }

        long files = 0, bytes = 0;
        try
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                files++;
                bytes += file.Length;
            }
        }
        catch (IOException)
        {
            // a file or directory renamed while counted (an atomic write, a quarantine): the next poll counts again
        }

        return $"{files} files, {bytes} bytes";
    }

    /// <summary>The 1, 5 and 15 minute load averages, for failure messages.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
