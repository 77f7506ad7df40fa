using System.Globalization;

namespace Grid.Engine.Runtime;

/// <summary>
/// How many of this machine's cores other processes kept busy since the previous sample: the machine's busy time
/// (/proc/stat) minus this process's own (/proc/self/stat), over the wall time between the two samples. Linux only;
/// elsewhere, or where /proc cannot be read, it reports nothing.
/// </summary>
public sealed class CpuLoad
{
    private readonly string _machineStat;
    private readonly string _processStat;
    private (long Busy, long Total, long Own, int Cores)? _previous;
    private (long Busy, long Total)? _previousMachine;

    public CpuLoad(string machineStat = "/proc/stat", string processStat = "/proc/self/stat")
    {
        _machineStat = machineStat;
        _processStat = processStat;
    }

    /// <summary>Cores other processes used since the last call (0 and up), or null on the first call or without /proc.</summary>
    public double? OtherCores()
    {
        var now = Read();
        if (now is null)
        {
            return null;
        }

        var previous = _previous;
        _previous = now;
        if (previous is not { } before || now.Value.Total <= before.Total)
        {
            return null;
        }

        double elapsedCoreTicks = now.Value.Total - before.Total;
        double others = (now.Value.Busy - before.Busy) - (now.Value.Own - before.Own);
        return Math.Max(0, others / elapsedCoreTicks * now.Value.Cores);
    }

    /// <summary>Cores the whole machine (this process included) kept busy since the last call, or null on the first call
    /// or without /proc. Its own sequence, independent of <see cref="OtherCores"/>.</summary>
    public double? BusyCores()
    {
        var now = ReadMachine();
        if (now is null)
        {
            return null;
        }

        var previous = _previousMachine;
        _previousMachine = (now.Value.Busy, now.Value.Total);
        if (previous is not { } before || now.Value.Total <= before.Total)
        {
            return null;
        }

        return (double)(now.Value.Busy - before.Busy) / (now.Value.Total - before.Total) * now.Value.Cores;
    }

    /// <summary>The cores /proc/stat lists (every core of the machine, whatever this process may use), or null.</summary>
    public int? MachineCores() => ReadMachine()?.Cores;

    private (long Busy, long Total, long Own, int Cores)? Read()
    {
        var machine = ReadMachine();
        long? own = ReadProcFile(() => ParseProcess(File.ReadAllText(_processStat)));
        return machine is { } m && own is { } o ? (m.Busy, m.Total, o, m.Cores) : null;
    }

    private (long Busy, long Total, int Cores)? ReadMachine() =>
        ReadProcFile<(long, long, int)>(() => ParseMachine(File.ReadAllLines(_machineStat)));

    private static T? ReadProcFile<T>(Func<T> read)
        where T : struct
    {
        try
        {
            return read();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Busy and total ticks summed over all cores (the "cpu" line), and the number of "cpuN" lines.</summary>
    public static (long Busy, long Total, int Cores) ParseMachine(IReadOnlyList<string> lines)
    {
        string[] fields = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields[0] != "cpu")
        {
            throw new FormatException("/proc/stat does not start with the cpu line");
        }

        // user nice system idle iowait irq softirq steal (guest time is already counted in user and nice)
        long[] ticks = [.. fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture))];
        long idle = ticks[3] + ticks[4];
        long total = ticks.Sum();
        int cores = lines.Count(l => l.StartsWith("cpu", StringComparison.Ordinal) && l.Length > 3 && char.IsAsciiDigit(l[3]));
        return (total - idle, total, Math.Max(1, cores));
    }

    /// <summary>utime + stime of the process (fields 14 and 15; the command name may contain spaces and parentheses).</summary>
    public static long ParseProcess(string stat)
    {
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
