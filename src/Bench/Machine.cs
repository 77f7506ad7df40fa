namespace Grid.Bench;

/// <summary>What the benchmarks print about the machine's state beside their figures.</summary>
public static class Machine
{
    /// <summary>The 1, 5 and 15 minute load averages, or "n/a" where /proc/loadavg does not exist.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
