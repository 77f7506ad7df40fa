using System.Globalization;
using System.Text.Json;
using Grid.Engine.IO;
using Grid.Engine.Specs;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// Verifies stored work before any run uses it (size and SHA-256 of every file it recorded), and sets aside what does not
/// verify into the part's <c>quarantine/&lt;UTC time&gt;-&lt;id&gt;/</c>, so that it is done again into fresh files: a
/// trained iteration with every later one of its part, or a mask record whose mask or source changed.
/// </summary>
public static class StoreIntegrity
{
    /// <summary>The stored training of <paramref name="iteration"/> when it verifies; null when absent or set aside.</summary>
    public static IterationOutcome? ReadTrained(StoredRun run, int iteration)
    {
        var owner = run.Owner(iteration);
        IterationOutcome? outcome;
        try
        {
            outcome = owner.ReadOutcome(iteration);
        }
        catch (CorruptArtifactException)
        {
            outcome = null;
            SetAside(owner, iteration, keepMask: true, "summary.json does not parse");
            return null;
        }

        if (outcome is null)
        {
            return null;
        }

        string? problem = outcome.Iteration != iteration ? $"records iteration {outcome.Iteration}" : Problem(owner.Path, outcome.Files ?? []);
        if (problem is not null)
        {
            SetAside(owner, iteration, keepMask: true, problem);
            return null;
        }

        return outcome;
    }

    /// <summary>The mask record of <paramref name="iteration"/> when it verifies and was cut from
    /// <paramref name="fromSha256"/>; null when absent or set aside.</summary>
    public static PruneRecord? ReadPruned(StoredRun run, int iteration, string fromSha256)
    {
        string file = run.PruneRecordFile(iteration);
        if (!File.Exists(file))
        {
            return null;
        }

        PruneRecord? record;
        try
        {
            record = SpecJson.Parse<PruneRecord>(File.ReadAllText(file));
        }
        catch (JsonException)
        {
            record = null;
        }

        string? problem = record is null ? "pruned.json does not parse"
            : record.FromSha256 != fromSha256 ? "the weights it was cut from changed"
            : record.Mask is { } mask ? Problem(run.Line.Path, [mask])
            : null;
        if (problem is null)
        {
            return record;
        }

        SetAside(run.Line, iteration, keepMask: false, problem);
        return null;
    }

    public static void WritePruned(StoredRun run, PruneRecord record) =>
        AtomicFile.WriteText(run.PruneRecordFile(record.Iteration), JsonSerializer.Serialize(record, SpecJson.Indented));

    private static string? Problem(string directory, IReadOnlyList<ArtifactFile> files) =>
        files.Select(f => (Path: Path.Combine(directory, f.File), Problem: RunIntegrity.Mismatch(Path.Combine(directory, f.File), f, IntegrityDepth.Full, "the store")))
            .Where(f => f.Problem is not null)
            .Select(f => $"{f.Path}: {f.Problem}")
            .FirstOrDefault();

    /// <summary>Moves iteration <paramref name="iteration"/> of a part (all but its mask when <paramref name="keepMask"/>)
    /// and every later iteration into the part's quarantine.</summary>
    private static void SetAside(RunDirectory part, int iteration, bool keepMask, string reason)
    {
        string name = $"{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";
        string target = Path.Combine(part.Path, RunQuarantine.DirectoryName, name);
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "reason.txt"), $"iteration {iteration}: {reason}\n");
        foreach (int later in RunIntegrity.IterationDirectories(part.Path).Where(n => n > iteration).OrderDescending())
        {
            Directory.Move(part.IterationPath(later), Path.Combine(target, $"iter-{later:D3}"));
        }

        string own = part.IterationPath(iteration);
        var files = Directory.Exists(own) ? Directory.EnumerateFiles(own).ToList() : [];
        if (iteration == 0)
        {
            files.AddRange(new[] { part.InitialWeightsFile }.Where(File.Exists));
            string checkpoints = Path.Combine(part.Path, RunStore.RewindDirectory);
            if (Directory.Exists(checkpoints))
            {
                files.AddRange(Directory.EnumerateFiles(checkpoints, "*.npz"));
            }
        }

        foreach (string file in files.Where(f => !keepMask || Path.GetFileName(f) is not ("mask.npz" or PruneRecord.FileName)))
        {
            string relative = Path.GetRelativePath(part.Path, file);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Move(file, Path.Combine(target, relative));
        }
    }
}
