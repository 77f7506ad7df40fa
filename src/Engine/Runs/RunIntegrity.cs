using System.Globalization;
using System.Text.RegularExpressions;
using Grid.Engine.IO;

namespace Grid.Engine.Runs;

/// <summary>How thoroughly <see cref="RunIntegrity"/> checks recorded files.</summary>
public enum IntegrityDepth
{
    /// <summary>Every recorded file exists with its recorded size (catches deleted and truncated files; stat calls only).</summary>
    Quick,

    /// <summary>Also the SHA-256 of every recorded file (catches any change); what resume, analyses and reports use.</summary>
    Full,
}

/// <summary>The first finished iteration of a run that cannot be trusted: the file and what is wrong with it.</summary>
/// <param name="Iteration">The iteration to train again; every later one depends on it.</param>
/// <param name="File">Full path of the file.</param>
public sealed record IntegrityProblem(int Iteration, string File, string Problem)
{
    public override string ToString() => $"{File}: {Problem}";
}

/// <summary>What a check found: the finished iterations that verify, in order, and the first problem after them.</summary>
/// <param name="Unverified">How many of <paramref name="Valid"/> were written before checksums were recorded.</param>
public sealed record RunCheck(IReadOnlyList<IterationOutcome> Valid, IntegrityProblem? Problem, int Unverified);

/// <summary>
/// Checks the finished iterations of a run against what each recorded when it finished (<see cref="IterationOutcome.Files"/>).
/// Iteration n records the files it trained from and wrote: iter-NNN/{mask.npz, final.npz, curves.csv}, the next
/// iteration's mask (iter-(N+1)/mask.npz, which it wrote), and for iteration 0 also spec.json, init.npz and
/// rewind.npz. A problem with any of them means iteration n and every later iteration (which trained from n's mask or
/// n's weights) must be trained again. Finished iterations found after an unfinished one are a problem too: they no
/// longer follow from what precedes them. Results written before checksums were recorded are read as unverified: their
/// files must exist (and, for a full check, their archives open), but nothing is rewritten to add checksums.
/// </summary>
public static partial class RunIntegrity
{
    public const string SpecFile = "spec.json";
    public const string InitialWeightsFile = "init.npz";
    public const string RewindWeightsFile = "rewind.npz";

    [GeneratedRegex(@"^iter-(\d{3,})$")]
    private static partial Regex IterationDirectory();

    /// <summary>The files iteration <paramref name="iteration"/> records, relative to the run directory ('/'-separated).
    /// rewind.npz only when it exists (a run shorter than its rewind step never writes it).</summary>
    public static IReadOnlyList<string> FilesOf(string runDirectory, int iteration, bool isLast)
    {
        var files = new List<string>();
        if (iteration == 0)
        {
            files.Add(SpecFile);
            files.Add(InitialWeightsFile);
            if (File.Exists(Path.Combine(runDirectory, RewindWeightsFile)))
            {
                files.Add(RewindWeightsFile);
            }
        }

        files.AddRange([Relative(iteration, "mask.npz"), Relative(iteration, "final.npz"), Relative(iteration, "curves.csv")]);
        if (!isLast)
        {
            files.Add(Relative(iteration + 1, "mask.npz"));
        }

        return files;
    }

    /// <summary>Size and SHA-256 of the files iteration <paramref name="iteration"/> records, as they are now.</summary>
    public static IReadOnlyList<ArtifactFile> Record(string runDirectory, int iteration, bool isLast) =>
        [.. FilesOf(runDirectory, iteration, isLast).Select(f => ArtifactDigests.Describe(runDirectory, f))];

    /// <summary>Reads the finished iterations of a run in order and checks each; stops at the first problem.</summary>
    public static RunCheck Check(string runDirectory, IntegrityDepth depth)
    {
        var run = new RunDirectory(runDirectory);
        var valid = new List<IterationOutcome>();
        if (!Directory.Exists(run.Path))
        {
            return new RunCheck(valid, null, 0);
        }

        IntegrityProblem? problem = null;
        int unverified = 0;
        for (int iteration = 0; File.Exists(run.SummaryFile(iteration)); iteration++)
        {
            if (ReadOutcome(run, iteration, out problem) is not { } outcome
                || (problem = CheckFiles(run, outcome, depth)) is not null)
            {
                break;
            }

            unverified += outcome.Files is null ? 1 : 0;
            valid.Add(outcome);
            if (outcome.IsLast)
            {
                break;
            }
        }

        return new RunCheck(valid, problem ?? Orphans(run, valid.Count), unverified);
    }

    /// <summary>Checks one finished iteration's own record (not the iterations before it); null when it verifies.</summary>
    public static IntegrityProblem? CheckIteration(string runDirectory, int iteration, IntegrityDepth depth)
    {
        var run = new RunDirectory(runDirectory);
        if (!File.Exists(run.SummaryFile(iteration)))
        {
            return new IntegrityProblem(iteration, run.SummaryFile(iteration), $"missing: iteration {iteration} has not finished");
        }

        return ReadOutcome(run, iteration, out var problem) is { } outcome ? CheckFiles(run, outcome, depth) : problem;
    }

    /// <summary>Iteration numbers of the iter-NNN directories of a run, ascending.</summary>
    public static IReadOnlyList<int> IterationDirectories(string runDirectory) =>
        Directory.Exists(runDirectory)
            ? [.. Directory.EnumerateDirectories(runDirectory)
                .Select(d => IterationDirectory().Match(Path.GetFileName(d)))
                .Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
                .Order()]
            : [];

    private static IterationOutcome? ReadOutcome(RunDirectory run, int iteration, out IntegrityProblem? problem)
    {
        problem = null;
        try
        {
            var outcome = run.ReadOutcome(iteration);
            if (outcome is not null && outcome.Iteration != iteration)
            {
                problem = new IntegrityProblem(iteration, run.SummaryFile(iteration), $"records iteration {outcome.Iteration}, expected {iteration}");
                return null;
            }

            return outcome;
        }
        catch (CorruptArtifactException error)
        {
            problem = new IntegrityProblem(iteration, error.File, error.Problem);
            return null;
        }
    }

    private static IntegrityProblem? CheckFiles(RunDirectory run, IterationOutcome outcome, IntegrityDepth depth)
    {
        int n = outcome.Iteration;
        if (outcome.Files is not { } files)
        {
            return CheckUnrecorded(run, outcome, depth);
        }

        foreach (var recorded in files)
        {
            string path = Path.Combine(run.Path, recorded.File);
            if (Mismatch(path, recorded, depth, $"iteration {n}") is { } problem)
            {
                return new IntegrityProblem(n, path, problem);
            }
        }

        return null;
    }

    /// <summary>What is wrong with <paramref name="path"/> against its record (<paramref name="recorder"/> names who
    /// recorded it, for the message), or null when it matches.</summary>
    public static string? Mismatch(string path, ArtifactFile recorded, IntegrityDepth depth, string recorder)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return $"missing ({recorder} recorded it when it finished)";
        }

        if (info.Length != recorded.Bytes)
        {
            return $"{info.Length} bytes, but {recorder} recorded {recorded.Bytes} when it finished (truncated or overwritten)";
        }

        if (depth == IntegrityDepth.Full)
        {
            var (_, sha256) = ArtifactDigests.Of(path);
            if (!string.Equals(sha256, recorded.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return $"SHA-256 {sha256[..12]}… differs from the {recorded.Sha256[..Math.Min(12, recorded.Sha256.Length)]}… {recorder} recorded when it finished (the file changed)";
            }
        }

        return null;
    }

    /// <summary>An iteration finished before checksums were recorded: its files must exist and its archives open.</summary>
    private static IntegrityProblem? CheckUnrecorded(RunDirectory run, IterationOutcome outcome, IntegrityDepth depth)
    {
        int n = outcome.Iteration;
        foreach (string file in FilesOf(run.Path, n, outcome.IsLast).Where(f => f != SpecFile))
        {
            string path = Path.Combine(run.Path, file);
            if (!File.Exists(path))
            {
                return new IntegrityProblem(n, path, $"missing (iteration {n} wrote it before it finished)");
            }

            if (depth == IntegrityDepth.Full && file.EndsWith(".npz", StringComparison.Ordinal))
            {
                try
                {
                    NpzFile.ReadHeaders(path);
                }
                catch (NpyFormatException error)
                {
                    return new IntegrityProblem(n, path, $"unreadable ({error.Problem})");
                }
            }
        }

        return null;
    }

    /// <summary>Finished iterations after the first unfinished one (e.g. an iteration directory was deleted).</summary>
    private static IntegrityProblem? Orphans(RunDirectory run, int firstUnfinished)
    {
        var orphans = IterationDirectories(run.Path)
            .Where(n => n >= firstUnfinished && File.Exists(run.SummaryFile(n)))
            .ToList();
        if (orphans.Count == 0)
        {
            return null;
        }

        string later = string.Join(", ", orphans.Select(n => $"iter-{n:D3}"));
        string summary = run.SummaryFile(firstUnfinished);
        return File.Exists(summary)
            ? new IntegrityProblem(firstUnfinished, summary, $"iteration {firstUnfinished - 1} was the run's last, yet later iterations are present ({later})")
            : new IntegrityProblem(firstUnfinished, summary, $"missing, but later iterations finished ({later}): they no longer follow from the iterations before them");
    }

    private static string Relative(int iteration, string file) => $"iter-{iteration:D3}/{file}";
}
