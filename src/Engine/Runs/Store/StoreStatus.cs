using Grid.Engine.IO;
using Grid.Engine.Sweeps;

namespace Grid.Engine.Runs.Store;

/// <summary>Bytes of a set of files: each file once (by <see cref="FileIdentity"/>) when this system tells hard links
/// apart, else the sum of the names' sizes (<paramref name="Apparent"/>).</summary>
public sealed record DiskUsage(long Bytes, int Files, bool Apparent)
{
    public static DiskUsage Of(IEnumerable<string> files)
    {
        var seen = new HashSet<FileId>();
        long bytes = 0;
        int count = 0;
        bool apparent = false;
        foreach (string file in files)
        {
            if (FileIdentity.Of(file) is { } known)
            {
                if (seen.Add(known.Id))
                {
                    bytes += known.Bytes;
                    count++;
                }
            }
            else if (new FileInfo(file) is { Exists: true } info)
            {
                apparent = true;
                bytes += info.Length;
                count++;
            }
        }

        return new DiskUsage(bytes, count, apparent);
    }
}

/// <summary>
/// What the run store of a results root holds (<c>grid store</c>): its trunks and lines, their stored iterations, the
/// bytes they take, what its journal says was trained, cut and imported, and the sweeps still written the old way.
/// </summary>
public sealed record StoreStatus
{
    public required string Root { get; init; }
    public bool Exists { get; init; }
    public int Trunks { get; init; }
    public int Lines { get; init; }

    /// <summary>Stored iterations 0 (one per trunk that finished its dense training).</summary>
    public int TrunkIterations { get; init; }

    /// <summary>Stored pruned iterations of every line.</summary>
    public int LineIterations { get; init; }

    /// <summary>The store's files.</summary>
    public required DiskUsage Store { get; init; }

    /// <summary>Every file under the results root: the sweeps' links to the store add nothing to it.</summary>
    public required DiskUsage ResultsRoot { get; init; }

    public int Trained { get; init; }
    public double TrainedSeconds { get; init; }
    public int MasksCut { get; init; }
    public int Imported { get; init; }
    public double ImportedSeconds { get; init; }

    public int Sweeps { get; init; }

    /// <summary>Sweeps written before the run store (sweep.json format 1), oldest first.</summary>
    public IReadOnlyList<SweepManifest> ToMigrate { get; init; } = [];

    public static StoreStatus Of(SweepStore sweeps)
    {
        var store = RunStore.Of(sweeps.Root);
        var trunks = Parts(Path.Combine(store.Root, "trunks"));
        var lines = Parts(Path.Combine(store.Root, "lines"));
        var journal = store.ReadJournal();
        var all = sweeps.List();
        return new StoreStatus
        {
            Root = store.Root,
            Exists = Directory.Exists(store.Root),
            Trunks = trunks.Count,
            Lines = lines.Count,
            TrunkIterations = trunks.Count(t => File.Exists(new RunDirectory(t).SummaryFile(0))),
            LineIterations = lines.Sum(l => RunIntegrity.IterationDirectories(l).Count(n => n > 0 && File.Exists(new RunDirectory(l).SummaryFile(n)))),
            Store = DiskUsage.Of(Files(store.Root)),
            ResultsRoot = DiskUsage.Of(Files(sweeps.Root)),
            Trained = journal.Count(e => e.Event == StoreEvent.Trained),
            TrainedSeconds = journal.Where(e => e.Event == StoreEvent.Trained).Sum(e => e.Seconds),
            MasksCut = journal.Count(e => e.Event == StoreEvent.Pruned),
            Imported = journal.Count(e => e.Event == StoreEvent.Imported),
            ImportedSeconds = journal.Where(e => e.Event == StoreEvent.Imported).Sum(e => e.Seconds),
            Sweeps = all.Count,
            ToMigrate = [.. all.Where(m => !m.UsesRunStore)],
        };
    }

    private static IReadOnlyList<string> Parts(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateDirectories(directory)] : [];

    private static IEnumerable<string> Files(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories) : [];
}
