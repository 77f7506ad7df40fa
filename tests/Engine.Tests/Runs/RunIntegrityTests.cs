using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Grid.Engine.IO;
using Grid.Engine.Runs;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Runs;

/// <summary>A tiny real run (3 iterations), trained once; each test works on its own copy.</summary>
public sealed class FinishedRunFixture : IDisposable
{
    public FinishedRunFixture()
    {
        Directory = TinyRuns.TemporaryDirectory();
        Outcomes = RunExecutor.RunToEnd(TinyRuns.Spec(), Directory, CPU, null, CancellationToken.None);
    }

    public string Directory { get; }

    public IReadOnlyList<IterationOutcome> Outcomes { get; }

    /// <summary>A copy of the finished run (file times preserved).</summary>
    public string Copy()
    {
        string target = TinyRuns.TemporaryDirectory();
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
            File.SetLastWriteTimeUtc(destination, File.GetLastWriteTimeUtc(file));
        }

        return target;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>Finished iterations record the SHA-256 of their files; checks find what changed and name the file.</summary>
public sealed class RunIntegrityTests(FinishedRunFixture run) : IClassFixture<FinishedRunFixture>
{
    [Fact]
    public void A_finished_iteration_records_the_size_and_sha256_of_every_file_it_trained_from_or_wrote()
    {
        Assert.Equal(
            ["spec.json", "init.npz", "rewind.npz", "iter-000/mask.npz", "iter-000/final.npz", "iter-000/curves.csv", "iter-001/mask.npz"],
            run.Outcomes[0].Files!.Select(f => f.File));
        Assert.Equal(["iter-002/mask.npz", "iter-002/final.npz", "iter-002/curves.csv"], run.Outcomes[2].Files!.Select(f => f.File));
        foreach (var file in run.Outcomes.SelectMany(o => o.Files!))
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(run.Directory, file.File));
            Assert.Equal(bytes.LongLength, file.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        }

        var stored = new RunDirectory(run.Directory).ReadOutcome(1)!;
        Assert.Equal(run.Outcomes[1].Files!, stored.Files!); // summary.json carries the record
        var check = RunIntegrity.Check(run.Directory, IntegrityDepth.Full);
        Assert.Equal((3, null, 0), (check.Valid.Count, check.Problem, check.Unverified));
    }

    [Fact]
    public void A_truncated_mask_is_found_quickly_and_blamed_on_the_iteration_that_wrote_it()
    {
        string copy = run.Copy();
        string mask = Path.Combine(copy, "iter-001", "mask.npz");
        long length = new FileInfo(mask).Length;
        using (var stream = new FileStream(mask, FileMode.Open))
        {
            stream.SetLength(length / 2);
        }

        var check = RunIntegrity.Check(copy, IntegrityDepth.Quick);

        Assert.Empty(check.Valid);
        var problem = Assert.IsType<IntegrityProblem>(check.Problem);
        Assert.Equal(0, problem.Iteration); // iteration 0 wrote it: it and every later iteration are to be trained again
        Assert.Equal(mask, problem.File);
        Assert.Contains($"{length / 2} bytes, but iteration 0 recorded {length}", problem.Problem);
    }

    [Fact]
    public void A_changed_byte_of_the_same_size_is_found_by_the_full_check_only()
    {
        string copy = run.Copy();
        string final = Path.Combine(copy, "iter-002", "final.npz");
        FlipLastByte(final);

        Assert.Null(RunIntegrity.Check(copy, IntegrityDepth.Quick).Problem);
        var check = RunIntegrity.Check(copy, IntegrityDepth.Full);

        Assert.Equal(2, check.Valid.Count);
        Assert.Equal(2, check.Problem!.Iteration);
        Assert.Equal(final, check.Problem.File);
        Assert.Contains("SHA-256", check.Problem.Problem);
        Assert.Contains("the file changed", check.Problem.Problem);
    }

    [Fact]
    public void A_deleted_iteration_directory_invalidates_the_iteration_that_wrote_its_mask()
    {
        string copy = run.Copy();
        Directory.Delete(Path.Combine(copy, "iter-001"), recursive: true);

        var check = RunIntegrity.Check(copy, IntegrityDepth.Quick);

        Assert.Empty(check.Valid);
        Assert.Equal(0, check.Problem!.Iteration);
        Assert.EndsWith(Path.Combine("iter-001", "mask.npz"), check.Problem.File);
        Assert.StartsWith("missing", check.Problem.Problem);
        Assert.Empty(RunExecutor.FinishedIterations(copy)); // summary.csv and status count no unverified iteration
    }

    [Fact]
    public void A_missing_summary_between_finished_iterations_makes_the_later_ones_orphans()
    {
        string copy = run.Copy();
        File.Delete(Path.Combine(copy, "iter-001", "summary.json"));

        var check = RunIntegrity.Check(copy, IntegrityDepth.Full);

        Assert.Single(check.Valid);
        Assert.Equal(1, check.Problem!.Iteration);
        Assert.Contains("later iterations finished (iter-002)", check.Problem.Problem);
    }

    [Fact]
    public void A_truncated_summary_is_a_problem_naming_the_file_not_an_exception()
    {
        string copy = run.Copy();
        string summary = Path.Combine(copy, "iter-001", "summary.json");
        File.WriteAllText(summary, File.ReadAllText(summary)[..40]);

        var check = RunIntegrity.Check(copy, IntegrityDepth.Quick);

        Assert.Single(check.Valid);
        Assert.Equal((1, summary), (check.Problem!.Iteration, check.Problem.File));
        Assert.StartsWith("not a valid iteration summary", check.Problem.Problem);
        var error = Assert.Throws<CorruptArtifactException>(() => new RunDirectory(copy).ReadOutcome(1));
        Assert.StartsWith(summary + ": ", error.Message);
    }

    [Fact]
    public void Results_written_before_checksums_are_read_as_unverified_but_must_be_whole()
    {
        string copy = run.Copy();
        for (int n = 0; n < 3; n++)
        {
            string summary = Path.Combine(copy, $"iter-{n:D3}", "summary.json");
            var json = JsonNode.Parse(File.ReadAllText(summary))!.AsObject();
            Assert.True(json.Remove("files"));
            File.WriteAllText(summary, json.ToJsonString());
        }

        var check = RunIntegrity.Check(copy, IntegrityDepth.Full);
        Assert.Equal((3, null, 3), (check.Valid.Count, check.Problem, check.Unverified));
        Assert.All(check.Valid, o => Assert.Null(o.Files));

        string final = Path.Combine(copy, "iter-002", "final.npz");
        using (var stream = new FileStream(final, FileMode.Open))
        {
            stream.SetLength(stream.Length - 100); // the zip's central directory is gone
        }

        Assert.Null(RunIntegrity.Check(copy, IntegrityDepth.Quick).Problem); // no recorded size to compare
        var full = RunIntegrity.Check(copy, IntegrityDepth.Full);
        Assert.Equal((2, final), (full.Problem!.Iteration, full.Problem.File));
        Assert.StartsWith("unreadable", full.Problem.Problem);

        File.Delete(final);
        var quick = RunIntegrity.Check(copy, IntegrityDepth.Quick);
        Assert.Equal((2, final), (quick.Problem!.Iteration, quick.Problem.File));
        Assert.StartsWith("missing", quick.Problem.Problem);
    }

    [Fact]
    public void An_iteration_does_not_train_from_a_mask_that_changed_and_writes_nothing()
    {
        string copy = TinyRuns.TemporaryDirectory();
        var spec = TinyRuns.Spec();
        RunExecutor.RunIteration(spec, copy, 0, CPU, null, CancellationToken.None);
        string mask = Path.Combine(copy, "iter-001", "mask.npz");
        FlipLastByte(mask);

        var error = Assert.Throws<CorruptArtifactException>(() => RunExecutor.RunIteration(spec, copy, 1, CPU, null, CancellationToken.None));

        Assert.Equal(mask, error.File);
        Assert.StartsWith(mask + ": SHA-256", error.Message);
        Assert.Equal(["mask.npz"], Directory.EnumerateFileSystemEntries(Path.Combine(copy, "iter-001")).Select(Path.GetFileName));
    }

    [Fact]
    public void Setting_aside_keeps_the_verified_mask_and_retraining_gives_the_same_masks()
    {
        string copy = run.Copy();
        FlipLastByte(Path.Combine(copy, "iter-001", "final.npz"));
        var untouched = Snapshot(copy, "iter-000", "init.npz", "rewind.npz", "spec.json", "iter-001/mask.npz");
        var before = Snapshot(copy, "iter-001", "iter-002");

        var check = RunIntegrity.Check(copy, IntegrityDepth.Full);
        var setAside = RunQuarantine.SetAside(copy, check, ["analysis"], DateTimeOffset.UtcNow);

        Assert.StartsWith("quarantine/", setAside.Directory);
        Assert.Equal(["iter-002", "iter-001"], setAside.Moved);
        Assert.Contains("iteration 1 and every later one set aside", setAside.Describe());
        Assert.Equal(untouched, Snapshot(copy, "iter-000", "init.npz", "rewind.npz", "spec.json", "iter-001/mask.npz")); // same bytes and times
        Assert.Equal(["mask.npz"], Directory.EnumerateFileSystemEntries(Path.Combine(copy, "iter-001")).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(copy, "iter-002")));
        string quarantine = Path.Combine(copy, setAside.Directory);
        Assert.Contains("final.npz", File.ReadAllText(Path.Combine(quarantine, RunQuarantine.ReasonFile)));
        var kept = Snapshot(quarantine, "iter-001", "iter-002");
        Assert.Equal(before.Where(e => e.Key != "iter-001/mask.npz"), kept); // nothing lost: all else moved as it was
        Assert.Single(Directory.GetDirectories(Path.Combine(copy, RunQuarantine.DirectoryName)));
        Assert.True(RunQuarantine.Count(copy) == 1, "one quarantine directory per setting aside");
        Assert.Single(RunIntegrity.Check(copy, IntegrityDepth.Full).Valid);

        var outcomes = RunExecutor.RunToEnd(TinyRuns.Spec(), copy, CPU, null, CancellationToken.None);

        Assert.Equal(3, outcomes.Count);
        Assert.Equal((3, null), (RunIntegrity.Check(copy, IntegrityDepth.Full).Valid.Count, RunIntegrity.Check(copy, IntegrityDepth.Full).Problem));
        Assert.True(MasksEqual(Path.Combine(run.Directory, "iter-002", "mask.npz"), Path.Combine(copy, "iter-002", "mask.npz")));
    }

    [Fact]
    public void Setting_aside_iteration_0_moves_the_runs_weights_too_and_retraining_rebuilds_them()
    {
        string copy = run.Copy();
        using (var stream = new FileStream(Path.Combine(copy, "init.npz"), FileMode.Open))
        {
            stream.SetLength(10);
        }

        var check = RunIntegrity.Check(copy, IntegrityDepth.Quick);
        var setAside = RunQuarantine.SetAside(copy, check, ["analysis"], DateTimeOffset.UtcNow);

        Assert.Equal(["iter-002", "iter-001", "iter-000", "init.npz", "rewind.npz"], setAside.Moved);
        Assert.True(File.Exists(Path.Combine(copy, "spec.json")));
        Assert.Equal(10, new FileInfo(Path.Combine(copy, setAside.Directory, "init.npz")).Length);

        var outcomes = RunExecutor.RunToEnd(TinyRuns.Spec(), copy, CPU, null, CancellationToken.None);

        Assert.Equal(3, outcomes.Count);
        for (int n = 0; n < 3; n++)
        {
            Assert.True(MasksEqual(Path.Combine(run.Directory, $"iter-{n:D3}", "mask.npz"), Path.Combine(copy, $"iter-{n:D3}", "mask.npz")), $"mask of iteration {n}");
        }
    }

    private static void FlipLastByte(string path)
    {
        var modified = File.GetLastWriteTimeUtc(path);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.Seek(-1, SeekOrigin.End);
            int last = stream.ReadByte();
            stream.Seek(-1, SeekOrigin.End);
            stream.WriteByte((byte)(last ^ 0xff));
        }

        File.SetLastWriteTimeUtc(path, modified + TimeSpan.FromSeconds(1));
    }

    /// <summary>Relative path → (bytes, mtime, SHA-256) of every file under the given entries of a directory.</summary>
    private static SortedDictionary<string, (long, DateTime, string)> Snapshot(string root, params string[] entries)
    {
        var files = new SortedDictionary<string, (long, DateTime, string)>(StringComparer.Ordinal);
        foreach (string entry in entries)
        {
            string path = Path.Combine(root, entry);
            var paths = Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) : [path];
            foreach (string file in paths)
            {
                files[Path.GetRelativePath(root, file).Replace('\\', '/')] =
                    (new FileInfo(file).Length, File.GetLastWriteTimeUtc(file), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
            }
        }

        return files;
    }

    private static bool MasksEqual(string a, string b)
    {
        var left = NpzFile.Read(a);
        var right = NpzFile.Read(b);
        return left.Count == right.Count && left.All(entry =>
            right.TryGetValue(entry.Key, out var other) && ((byte[])entry.Value.Data).AsSpan().SequenceEqual((byte[])other.Data));
    }
}
