using Grid.Engine.IO;
using Grid.Engine.Runs.Store;

namespace Grid.Analysis.Runs;

/// <summary>
/// Per-iteration analyses shared through the run store: an iteration stored once is analysed once. What an
/// iteration-scope analysis writes depends only on the stored iteration and the fields that identify it (its files, the
/// data, the seed), so the files one run directory computed serve every run directory linked to the same stored
/// iteration. They are kept beside it in its trunk or line (<c>analysis/iter-NNN/</c>, the run's own layout) as hard
/// links (<see cref="FileLinks"/>); the record is linked last, so a record there means its files are there.
/// </summary>
public static class SharedAnalyses
{
    /// <summary>The run store's part that holds iteration <paramref name="iteration"/> of a linked run directory, or
    /// null for a run directory that trains in place (or whose store does not hold the iteration).</summary>
    public static string? StoredPart(string runDirectory, int iteration)
    {
        if (StoreLink.Read(runDirectory) is not { } link)
        {
            return null;
        }

        var store = link.OpenStore(runDirectory);
        string part = iteration == 0 ? store.TrunkPath(link.Trunk) : store.LinePath(link.Line);
        return File.Exists(Path.Combine(part, $"iter-{iteration:D3}", "summary.json")) ? part : null; // else a copied run directory, away from its store
    }

    /// <summary>Links the stored analysis into the run directory when the store has it complete; its record, or null.</summary>
    public static AnalysisRecord? TakeStored(string runDirectory, string name, int version, int iteration)
    {
        if (StoredPart(runDirectory, iteration) is not { } part)
        {
            return null;
        }

        string storedRecord = AnalysisLayout.RecordFile(AnalysisLayout.IterationDirectory(part, iteration), name);
        if (AnalysisRecord.ReadComplete(storedRecord, part, version) is not { } record || record.Iteration != iteration)
        {
            return null;
        }

        foreach (string file in record.Files())
        {
            FileLinks.LinkOrCopy(Path.Combine(part, file), Path.Combine(runDirectory, file));
        }

        FileLinks.LinkOrCopy(storedRecord, AnalysisLayout.RecordFile(AnalysisLayout.IterationDirectory(runDirectory, iteration), name));
        return record;
    }

    /// <summary>Links an analysis the run directory just computed into the store, unless the store has it already.</summary>
    public static void Publish(string runDirectory, AnalysisRecord record)
    {
        if (StoredPart(runDirectory, record.Iteration) is not { } part)
        {
            return;
        }

        string storedRecord = AnalysisLayout.RecordFile(AnalysisLayout.IterationDirectory(part, record.Iteration), record.Analysis);
        if (AnalysisRecord.ReadComplete(storedRecord, part, record.Version) is not null)
        {
            return;
        }

        foreach (string file in record.Files())
        {
            FileLinks.LinkOrCopy(Path.Combine(runDirectory, file), Path.Combine(part, file));
        }

        FileLinks.LinkOrCopy(AnalysisLayout.RecordFile(AnalysisLayout.IterationDirectory(runDirectory, record.Iteration), record.Analysis), storedRecord);
    }
}
