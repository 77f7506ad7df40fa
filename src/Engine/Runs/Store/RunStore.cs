using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Engine.IO;
using Grid.Engine.Specs;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// The run store of a results root (<c>store/</c> beside the sweeps): every trained iteration once, named by what
/// determines it (<see cref="RunIdentity"/>), whichever sweep asked for it first. Layout:
/// <code>
/// store/
///   trunks/&lt;trunk id&gt;/   trunk.json  init.npz  rewind/step-NNNNNNN.npz  iter-000/{mask.npz, final.npz, curves.csv, summary.json}
///   lines/&lt;line id&gt;/     line.json   iter-NNN/{mask.npz, pruned.json, final.npz, curves.csv, summary.json}  (NNN ≥ 1)
///   journal.log           one line per iteration trained, mask cut or iteration imported (grid store migrate), for
///                         people and for tests that count them
/// </code>
/// A sweep's run directory holds hard links to these files (<see cref="RunView"/>), so every reader sees plain files.
/// </summary>
public sealed class RunStore(string root)
{
    public const string DirectoryName = "store";
    public const string TrunkFile = "trunk.json";
    public const string LineFile = "line.json";
    public const string JournalFile = "journal.log";
    private const string JournalClaimFile = ".journal.lock";

    /// <summary>How often a journal append looks whether another writer is done: appends take microseconds.</summary>
    private static readonly TimeSpan JournalPoll = TimeSpan.FromMilliseconds(2);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The run store of a results root.</summary>
    public static RunStore Of(string resultsRoot) => new(Path.Combine(resultsRoot, DirectoryName));

    public string TrunkPath(string trunk) => Path.Combine(Root, "trunks", trunk);

    public string LinePath(string line) => Path.Combine(Root, "lines", line);

    /// <summary>Writes trunk.json and line.json (what the ids stand for) when they are not there yet, and notes the rewind
    /// checkpoint the run needs, so that the trunk's training saves it (rewind/step-NNNNNNN.wanted).</summary>
    public void Register(RunIdentity identity)
    {
        WriteOnce(Path.Combine(TrunkPath(identity.Trunk), TrunkFile), identity.TrunkDocument);
        WriteOnce(Path.Combine(LinePath(identity.Line), LineFile), identity.LineDocument);
        if (identity.Rewinds)
        {
            string wanted = Path.ChangeExtension(RewindFile(identity.Trunk, identity.RewindStep), WantedExtension);
            if (!File.Exists(wanted))
            {
                AtomicFile.WriteText(wanted, "");
            }
        }
    }

    public const string RewindDirectory = "rewind";
    private const string WantedExtension = ".wanted";

    /// <summary>The trunk's weights at step <paramref name="step"/> of its training.</summary>
    public string RewindFile(string trunk, int step) =>
        Path.Combine(TrunkPath(trunk), RewindDirectory, $"step-{step.ToString("D7", CultureInfo.InvariantCulture)}.npz");

    /// <summary>The rewind steps runs of this trunk asked for so far.</summary>
    public IReadOnlyList<int> WantedRewindSteps(string trunk)
    {
        string directory = Path.Combine(TrunkPath(trunk), RewindDirectory);
        return Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "step-*" + WantedExtension)
                .Select(f => Path.GetFileNameWithoutExtension(f)["step-".Length..])
                .Select(s => int.TryParse(s, CultureInfo.InvariantCulture, out int step) ? step : -1)
                .Where(step => step >= 0)
                .Order()]
            : [];
    }

    /// <summary>Appends one line to journal.log, one writer at a time across processes: .NET appends where the file
    /// ended when it was opened (it has no O_APPEND, dotnet/runtime#53432), so two silos appending at once would write
    /// over each other's line.</summary>
    public void Journal(StoreEvent entry)
    {
        Directory.CreateDirectory(Root);
        using var claim = FileClaim.Acquire(Path.Combine(Root, JournalClaimFile), FileClaim.ThisProcess, null, CancellationToken.None, JournalPoll);
        File.AppendAllText(Path.Combine(Root, JournalFile), entry.ToLine() + "\n");
    }

    /// <summary>Every journal entry, oldest first (none when nothing was written yet).</summary>
    public IReadOnlyList<StoreEvent> ReadJournal()
    {
        string file = Path.Combine(Root, JournalFile);
        return File.Exists(file)
            ? [.. File.ReadAllLines(file).Where(l => l.Length > 0).Select(StoreEvent.Parse).OfType<StoreEvent>()]
            : [];
    }

    private static void WriteOnce(string file, JsonObject document)
    {
        if (!File.Exists(file))
        {
            AtomicFile.WriteText(file, document.ToJsonString(SpecJson.Indented) + "\n");
        }
    }
}

/// <summary>One line of the store's journal: an iteration trained (<c>trained</c>), a next mask cut (<c>pruned</c>), a
/// rewind checkpoint made afterwards (<c>checkpoint</c>, its iteration is the step), or an iteration of results written
/// before the run store brought in by <c>grid store migrate</c> (<c>imported</c>; its seconds are those it trained for
/// then).</summary>
/// <param name="Part">"trunk" or "line".</param>
public sealed record StoreEvent(DateTimeOffset At, string Event, string Part, string Id, int Iteration, string Holder, double Seconds)
{
    public const string Trained = "trained";

    /// <summary>Iteration 0 trained again up to a rewind step its first training did not save.</summary>
    public const string Checkpoint = "checkpoint";
    public const string Pruned = "pruned";
    public const string Imported = "imported";

    public string ToLine() => string.Join('\t',
        At.ToString("O", CultureInfo.InvariantCulture), Event, Part, Id, Iteration.ToString(CultureInfo.InvariantCulture),
        Holder, Seconds.ToString("F3", CultureInfo.InvariantCulture));

    public static StoreEvent? Parse(string line)
    {
        string[] parts = line.Split('\t');
        return parts.Length == 7
               && DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
               && int.TryParse(parts[4], CultureInfo.InvariantCulture, out int iteration)
               && double.TryParse(parts[6], CultureInfo.InvariantCulture, out double seconds)
            ? new StoreEvent(at, parts[1], parts[2], parts[3], iteration, parts[5], seconds)
            : null;
    }
}
