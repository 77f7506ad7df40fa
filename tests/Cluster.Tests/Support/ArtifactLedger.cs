using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Grid.Cluster.Tests.Support;

/// <summary>
/// Watches a sweep directory and records, the moment an iteration's summary.json appears, the size, mtime and SHA-256 of
/// everything that iteration produced: its iter-NNN files, the next iteration's mask (written by this one) and, for
/// iteration 0, the run's init.npz and rewind.npz. A finished iteration is never trained again, so none of these may
/// change afterwards: every later scan checks them, and any change is a violation.
/// </summary>
public sealed partial class ArtifactLedger(string sweepDirectory)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly Lock _lock = new();

    private sealed record Entry(long Length, DateTime Modified, string Sha256, string Iteration);

    [GeneratedRegex(@"^iter-(\d{3})$")]
    private static partial Regex IterationDirectory();

    /// <summary>Finished iterations seen so far, as "run/iter-NNN".</summary>
    public IReadOnlyCollection<string> Finished
    {
        get
        {
            lock (_lock)
            {
                return [.. _finished];
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    public int Files
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Scans every <paramref name="period"/> until disposed.</summary>
    public IAsyncDisposable StartScanning(TimeSpan period)
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Scan();
                try
                {
                    await Task.Delay(period, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        return new Scanning(stop, loop);
    }

    public void Scan()
    {
        lock (_lock)
        {
            string runs = Path.Combine(sweepDirectory, "runs");
            if (!Directory.Exists(runs))
            {
                return;
            }

            foreach (string run in Directory.EnumerateDirectories(runs))
            {
                foreach (string iteration in Directory.EnumerateDirectories(run))
                {
                    var match = IterationDirectory().Match(Path.GetFileName(iteration));
                    if (match.Success && File.Exists(Path.Combine(iteration, "summary.json")))
                    {
                        RecordIteration(run, iteration, int.Parse(match.Groups[1].Value));
                    }
                }
            }

            foreach (var (path, entry) in _entries)
            {
                Verify(path, entry);
            }
        }
    }

    private void RecordIteration(string run, string iteration, int number)
    {
        string key = $"{Path.GetFileName(run)}/{Path.GetFileName(iteration)}";
        if (!_finished.Add(key))
        {
            return;
        }

        var files = Directory.EnumerateFiles(iteration).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();
        string next = Path.Combine(run, $"iter-{number + 1:D3}", "mask.npz");
        if (File.Exists(next))
        {
            files.Add(next);
        }

        if (number == 0)
        {
            files.AddRange(new[] { "init.npz", "rewind.npz", "spec.json" }.Select(f => Path.Combine(run, f)).Where(File.Exists));
        }

        foreach (string file in files)
        {
            var info = new FileInfo(file);
            _entries.TryAdd(file, new Entry(info.Length, info.LastWriteTimeUtc, Hash(file), key));
        }
    }

    private void Verify(string path, Entry entry)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            Violation($"{path} (of finished {entry.Iteration}) disappeared");
            return;
        }

        if (info.Length != entry.Length || info.LastWriteTimeUtc != entry.Modified)
        {
            string hash = Hash(path);
            Violation($"{path} (of finished {entry.Iteration}) was rewritten: length {entry.Length} → {info.Length}, "
                + $"mtime {entry.Modified:HH:mm:ss.ffffff} → {info.LastWriteTimeUtc:HH:mm:ss.ffffff}, sha256 {(hash == entry.Sha256 ? "unchanged" : "changed")}");
            _entries[path] = entry with { Length = info.Length, Modified = info.LastWriteTimeUtc, Sha256 = hash };
        }
    }

    private void Violation(string message)
    {
        if (!_violations.Contains(message))
        {
            _violations.Add(message);
        }
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private sealed class Scanning(CancellationTokenSource stop, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }
}
