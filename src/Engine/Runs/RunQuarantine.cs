using System.Globalization;
using System.Text.Json;
using Grid.Engine.IO;
using Grid.Engine.Specs;

namespace Grid.Engine.Runs;

/// <summary>What <see cref="RunQuarantine.SetAside"/> moved, and where.</summary>
/// <param name="Directory">The quarantine directory, relative to the run directory.</param>
/// <param name="Moved">Paths moved there, relative to the run directory.</param>
public sealed record Quarantined(IntegrityProblem Problem, string Directory, IReadOnlyList<string> Moved)
{
    /// <summary>One line for people: the file, what is wrong, and what was done.</summary>
    public string Describe() =>
        $"{Problem}; iteration {Problem.Iteration} and every later one set aside in {Directory}/ and trained again";
}

/// <summary>
/// Sets invalidated iterations aside so that they are trained again into fresh directories: artifacts stay written once
/// and a retrained iteration never mixes old and new files. The iterations from the first bad one on (their iter-NNN
/// directories, their analyses under the given derived directories, and the run-level analyses built from every
/// iteration) move to <c>quarantine/&lt;UTC time&gt;-&lt;id&gt;/</c> beside a <c>reason.json</c>; when iteration 0 is the bad
/// one, init.npz and rewind.npz go too (and spec.json when it is the bad file). The mask iteration k trains from was
/// written and recorded by iteration k - 1, which verified: it is moved back into the fresh iter-k directory.
/// Directories move last-first, so a process that dies halfway leaves a run whose next check finds the rest.
/// </summary>
public static class RunQuarantine
{
    public const string DirectoryName = "quarantine";
    public const string ReasonFile = "reason.json";

    /// <summary>Moves the iterations from <c>check.Problem.Iteration</c> on aside; <paramref name="derivedDirectories"/> are
    /// subdirectories of the run that hold per-iteration results in iter-NNN subdirectories (e.g. "analysis").</summary>
    public static Quarantined SetAside(string runDirectory, RunCheck check, IReadOnlyList<string> derivedDirectories, DateTimeOffset now)
    {
        var problem = check.Problem ?? throw new ArgumentException("the check found no problem", nameof(check));
        string run = Path.GetFullPath(runDirectory);
        int from = problem.Iteration;
        string name = $"{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";
        string relative = $"{DirectoryName}/{name}";
        string target = Path.Combine(run, DirectoryName, name);
        Directory.CreateDirectory(target);

        var moves = new List<string>();
        foreach (int iteration in RunIntegrity.IterationDirectories(run).Where(n => n >= from).OrderDescending())
        {
            moves.Add($"iter-{iteration:D3}");
        }

        foreach (string derived in derivedDirectories)
        {
            string root = Path.Combine(run, derived);
            moves.AddRange(RunIntegrity.IterationDirectories(root).Where(n => n >= from).OrderDescending().Select(n => $"{derived}/iter-{n:D3}"));
            if (Directory.Exists(root))
            {
                moves.AddRange(Directory.EnumerateFiles(root).Select(f => $"{derived}/{Path.GetFileName(f)}").Order(StringComparer.Ordinal));
            }
        }

        if (from == 0)
        {
            moves.AddRange(new[] { RunIntegrity.InitialWeightsFile, RunIntegrity.RewindWeightsFile }.Where(f => File.Exists(Path.Combine(run, f))));
            if (Path.GetFileName(problem.File) == RunIntegrity.SpecFile && Path.GetDirectoryName(Path.GetFullPath(problem.File)) == run)
            {
                moves.Add(RunIntegrity.SpecFile);
            }
        }

        var record = new QuarantineReason(from, problem.File, problem.Problem, now, moves);
        AtomicFile.WriteText(Path.Combine(target, ReasonFile), JsonSerializer.Serialize(record, SpecJson.Indented));

        var moved = new List<string>();
        foreach (string path in moves)
        {
            if (Move(Path.Combine(run, path), Path.Combine(target, path)))
            {
                moved.Add(path);
            }
        }

        // Iteration `from` trains from the mask iteration from - 1 wrote, which verified: it goes back in place.
        bool maskVerified = from > 0 && check.Valid.Count >= from && !check.Valid[from - 1].IsLast;
        string mask = $"iter-{from:D3}/mask.npz";
        if (maskVerified && File.Exists(Path.Combine(target, mask)))
        {
            Directory.CreateDirectory(Path.Combine(run, $"iter-{from:D3}"));
            File.Move(Path.Combine(target, mask), Path.Combine(run, mask));
        }

        return new Quarantined(problem, relative, moved);
    }

    /// <summary>How many times iterations of this run were set aside (the number of quarantine directories).</summary>
    public static int Count(string runDirectory)
    {
        string root = Path.Combine(runDirectory, DirectoryName);
        return Directory.Exists(root) ? Directory.EnumerateDirectories(root).Count() : 0;
    }

    /// <summary>False when the source is gone (another process set it aside first).</summary>
    private static bool Move(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        try
        {
            if (Directory.Exists(source))
            {
                Directory.Move(source, destination);
                return true;
            }

            if (File.Exists(source))
            {
                File.Move(source, destination);
                return true;
            }
        }
        catch (Exception error) when (error is DirectoryNotFoundException or FileNotFoundException)
        {
        }

        return false;
    }

    /// <summary>quarantine/&lt;name&gt;/reason.json.</summary>
    private sealed record QuarantineReason(int FromIteration, string File, string Problem, DateTimeOffset At, IReadOnlyList<string> Moved);
}
