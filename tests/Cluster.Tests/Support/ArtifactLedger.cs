using System.Security.Cryptography;

namespace Grid.Cluster.Tests.Support;

/// <summary>
/// Watches a results directory and records, the moment a piece of work is finished (<see cref="FinishedArtifacts"/>:
/// an iteration of a sweep's run, or of the run store), the size, mtime and SHA-256 of every file it produced. Finished
/// work is never done again, so none of these may change afterwards: every later scan checks them, and any change is a
/// violation.
/// </summary>
public sealed class ArtifactLedger(Func<IEnumerable<FinishedWork>> finished)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly Lock _lock = new();

    private sealed record Entry(long Length, DateTime Modified, string Sha256, string Work);

    /// <summary>The iterations of a sweep's runs (<see cref="FinishedArtifacts.InSweep"/>).</summary>
    public static ArtifactLedger ForSweep(string sweepDirectory) => new(() => FinishedArtifacts.InSweep(sweepDirectory));

    /// <summary>The trained iterations and cut masks of a run store (<see cref="FinishedArtifacts.InStore"/>).</summary>
    public static ArtifactLedger ForStore(string storeRoot) => new(() => FinishedArtifacts.InStore(storeRoot));

    /// <summary>Keys of the finished work seen so far (<see cref="FinishedWork.Key"/>).</summary>
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
            foreach (var work in finished())
            {
                if (_finished.Add(work.Key))
                {
                    foreach (string file in work.Files)
                    {
                        var info = new FileInfo(file);
                        _entries.TryAdd(file, new Entry(info.Length, info.LastWriteTimeUtc, Hash(file), work.Key));
                    }
                }
            }

            foreach (var (path, entry) in _entries)
            {
                Verify(path, entry);
            }
        }
    }

    private void Verify(string path, Entry entry)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            Violation($"{path} (of finished {entry.Work}) disappeared");
            return;
        }

        if (info.Length != entry.Length || info.LastWriteTimeUtc != entry.Modified)
        {
            string hash = Hash(path);
            Violation($"{path} (of finished {entry.Work}) was rewritten: length {entry.Length} → {info.Length}, "
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
