using System.Collections.Concurrent;
using System.Text.Json;
using Grid.Engine.IO;

namespace Grid.Engine.Runtime;

/// <summary>
/// Measurements of this host that steer training choices (the fastest thread count of a network, the cost of a layer's
/// dense and sparse kernels), taken once and kept in a file so that every later process on the host makes the same
/// choices: a choice that changes the arithmetic (dense or sparse) must not change from one run to the next, or a run
/// with a fixed seed would not give the same masks. The file is <c>$GRID_HOST_PROFILE</c>, else
/// <c>$XDG_CACHE_HOME/grid/host-profile.json</c>, else <c>~/.cache/grid/host-profile.json</c>; where it cannot be
/// written the measurements last as long as the process. Entries are keyed by what was measured and by the CPU, so a
/// profile copied to another machine is not used there. Delete the file to measure again.
/// </summary>
public sealed class HostProfile
{
    private readonly string? _path;
    private readonly ConcurrentDictionary<string, double[]> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public HostProfile(string? path)
    {
        _path = path;
        foreach (var (key, value) in Read(path))
        {
            _entries[key] = value;
        }
    }

    /// <summary>The profile of this process, at the configured or default path.</summary>
    public static HostProfile Default { get; } = new(DefaultPath());

    /// <summary>Where the profile is kept (null: memory only).</summary>
    public string? Path => _path;

    /// <summary>The stored values of <paramref name="key"/> (prefixed by this CPU), measuring and storing them the first
    /// time. Measurements of one key are not repeated within the process, even when two threads ask at once.</summary>
    public double[] GetOrMeasure(string key, Func<double[]> measure)
    {
        string full = $"{Cpu}|{key}";
        if (_entries.TryGetValue(full, out var known))
        {
            return known;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(full, out known))
            {
                return known;
            }

            _entries[full] = measure();
            Save(full, _entries[full]);
            return _entries[full]; // another process's value when it stored this key first
        }
    }

    private static readonly Lazy<string> CpuDescription = new(DescribeCpu);

    /// <summary>"model name x logical processors, TorchSharp version", the CPU from /proc/cpuinfo where there is one, and
    /// ", MKL AVX-512" where <see cref="MklDispatch"/> changes MKL's kernels (their costs and bits differ).</summary>
    public static string Cpu => CpuDescription.Value;

    private void Save(string key, double[] value)
    {
        if (_path is null)
        {
            return;
        }

        try
        {
            // Merge with what other processes stored meanwhile; an entry once written is never replaced.
            var merged = Read(_path);
            merged.TryAdd(key, value);
            foreach (var (k, v) in _entries)
            {
                merged.TryAdd(k, v);
            }

            AtomicFile.WriteText(_path, JsonSerializer.Serialize(merged, new JsonSerializerOptions { WriteIndented = true }));
            foreach (var (k, v) in merged)
            {
                _entries[k] = v;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Not writable here (a read-only home in a container): the measurement lasts as long as the process.
        }
    }

    private static Dictionary<string, double[]> Read(string? path)
    {
        try
        {
            return path is not null && File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, double[]>>(File.ReadAllText(path)) ?? []
                : [];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
        {
            return []; // unreadable or damaged: measure again (and overwrite it)
        }
    }

    private static string? DefaultPath()
    {
        if (Environment.GetEnvironmentVariable("GRID_HOST_PROFILE") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        string? cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? System.IO.Path.Combine(home, ".cache") : null;
        return cache is null ? null : System.IO.Path.Combine(cache, "grid", "host-profile.json");
    }

    private static string DescribeCpu()
    {
        string model = "unknown cpu";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? model;
            }
        }
        catch (IOException)
        {
        }

        string mkl = MklDispatch.Choice.LoadsShim ? ", MKL AVX-512" : "";
        return $"{model} x{Environment.ProcessorCount}, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}{mkl}";
    }
}
