using System.Text.Json.Nodes;
using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>
/// Finished iterations that do not verify when a sweep is submitted again: each is reported naming the file, set aside
/// with every iteration that depends on it (nothing is deleted or overwritten), and trained again into fresh
/// directories; everything that verifies is kept as it was. Real engine, tiny nets, one silo with one slot.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ArtifactIntegrityTests
{
    private static string Sweep(string name, string seeds) =>
        TinyFashionSweep.Yaml(name, TinyFashionSweep.Seeds(seeds), "analysis: [curves]", stopRatio: 0.01);

    [Fact]
    public async Task A_truncated_mask_and_a_deleted_iteration_are_set_aside_and_retrained_on_resubmission()
    {
        await using var grid = await GridCluster.StartAsync("engine", 1);
        string yaml = Sweep("repair-missing", "[0, 1]");
        var (coordinator, submitted, file) = await grid.SubmitAsync(yaml);
        Assert.Equal(SweepState.Finished, (await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish")).State);
        string sweepDirectory = Path.Combine(grid.Results, submitted.Sweep!.Directory);
        string truncated = Path.Combine(sweepDirectory, SweepLayout.RunDirectory(file.Runs[0].Hash));
        string deleted = Path.Combine(sweepDirectory, SweepLayout.RunDirectory(file.Runs[1].Hash));
        var masks = file.Runs.ToDictionary(r => r.Hash, r => Masks(Path.Combine(sweepDirectory, SweepLayout.RunDirectory(r.Hash))));
        var before = file.Runs.ToDictionary(r => r.Hash, r => FileTree.Snapshot(Path.Combine(sweepDirectory, SweepLayout.RunDirectory(r.Hash))));
        int trainings = RecordingTrainer.For(submitted.Sweep.Directory).Count;

        string mask = Path.Combine(truncated, "iter-001", "mask.npz");
        FileTree.Truncate(mask, new FileInfo(mask).Length / 2);
        var damaged = FileTree.Snapshot(truncated);
        Directory.Delete(Path.Combine(deleted, "iter-001"), recursive: true);

        // What `grid results --gateway` asks the cluster before anything is repaired.
        var problems = await grid.Client.GetGrain<ISweepCatalogGrain>(GrainKeys.Singleton).Verify(submitted.Sweep.Hash);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains(mask + ": ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(Path.Combine(deleted, "iter-001", "mask.npz") + ": missing", StringComparison.Ordinal));

        var (again, resubmitted, _) = await grid.SubmitAsync(yaml);
        Assert.Equal(0, resubmitted.FinishedIterations); // neither run counts an iteration that does not verify
        var status = await GridCluster.WaitForAsync(again, s => s.IsTerminal, "the resubmitted sweep to finish");

        Assert.True(status.State == SweepState.Finished, string.Join("; ", status.Runs.Select(r => $"{r.State} {r.Error}")));
        var warnings = status.Runs.SelectMany(r => r.Warnings).ToList();
        Assert.Contains(warnings, w => w.StartsWith($"run {file.Runs[0].Index}: {mask}: ", StringComparison.Ordinal) && w.Contains("truncated or overwritten") && w.Contains("set aside in quarantine/"));
        Assert.Contains(warnings, w => w.StartsWith($"run {file.Runs[1].Index}: {Path.Combine(deleted, "iter-001", "mask.npz")}: missing", StringComparison.Ordinal));

        // Iteration 0 wrote the mask that went bad (or missing): it and every later iteration were trained again.
        Assert.Equal(trainings + 6, RecordingTrainer.For(submitted.Sweep.Directory).Count);
        foreach (var run in file.Runs)
        {
            string directory = Path.Combine(sweepDirectory, SweepLayout.RunDirectory(run.Hash));
            var check = RunIntegrity.Check(directory, IntegrityDepth.Full);
            Assert.Equal((3, null), (check.Valid.Count, check.Problem));
            Assert.Equal(masks[run.Hash], Masks(directory)); // same seed, same machine: the same masks
            Assert.True(File.Exists(Path.Combine(directory, "analysis", "iter-002", "curves.done.json")));
        }

        // Nothing was lost: what was there before the resubmission is in the quarantine, byte for byte.
        string quarantine = Directory.GetDirectories(Path.Combine(truncated, RunQuarantine.DirectoryName)).Single();
        Assert.Equal(Moved(damaged), FileTree.Snapshot(quarantine, f => f != RunQuarantine.ReasonFile));
        string deletedQuarantine = Directory.GetDirectories(Path.Combine(deleted, RunQuarantine.DirectoryName)).Single();
        Assert.Equal(Moved(before[file.Runs[1].Hash]).Where(e => !e.Key.StartsWith("iter-001/", StringComparison.Ordinal)),
            FileTree.Snapshot(deletedQuarantine, f => f != RunQuarantine.ReasonFile));

        var rows = CsvText.Parse(File.ReadAllText(Path.Combine(sweepDirectory, SweepLayout.SummaryFile)));
        Assert.Equal(6, rows.Count(r => r[^1] == "finished"));
        Assert.Equal(6, rows.Count - 1);
        Assert.Empty(await grid.Client.GetGrain<ISweepCatalogGrain>(GrainKeys.Singleton).Verify(submitted.Sweep.Hash));
    }

    [Fact]
    public async Task Changed_files_retrain_only_the_iterations_that_depend_on_them_and_old_results_are_read_as_they_are()
    {
        await using var grid = await GridCluster.StartAsync("engine", 1);
        string yaml = Sweep("repair-changed", "[0, 1, 2]");
        var (coordinator, submitted, file) = await grid.SubmitAsync(yaml);
        Assert.Equal(SweepState.Finished, (await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish")).State);
        string sweepDirectory = Path.Combine(grid.Results, submitted.Sweep!.Directory);
        string[] runs = [.. file.Runs.Select(r => Path.Combine(sweepDirectory, SweepLayout.RunDirectory(r.Hash)))];
        var before = runs.Select(r => FileTree.Snapshot(r)).ToList();

        FileTree.FlipLastByte(Path.Combine(runs[0], "iter-002", "final.npz"));            // run 0: iteration 2 changed
        string summary = Path.Combine(runs[1], "iter-001", "summary.json");
        File.WriteAllText(summary, File.ReadAllText(summary)[..50]);                        // run 1: iteration 1 truncated
        for (int n = 0; n < 3; n++)
        {
            // run 2: results from before checksums were recorded
            string legacy = Path.Combine(runs[2], $"iter-{n:D3}", "summary.json");
            var json = JsonNode.Parse(File.ReadAllText(legacy))!.AsObject();
            json.Remove("files");
            File.WriteAllText(legacy, json.ToJsonString());
        }

        var legacyBefore = FileTree.Snapshot(runs[2]);
        var keptRun0 = FileTree.Snapshot(runs[0], f => f.StartsWith("iter-000/", StringComparison.Ordinal) || f.StartsWith("iter-001/", StringComparison.Ordinal) || f == "init.npz" || f == "iter-002/mask.npz");
        var keptRun1 = FileTree.Snapshot(runs[1], f => f.StartsWith("iter-000/", StringComparison.Ordinal) || f == "init.npz" || f == "iter-001/mask.npz");
        int trainings = RecordingTrainer.For(submitted.Sweep.Directory).Count;

        var (again, _, _) = await grid.SubmitAsync(yaml);
        var status = await GridCluster.WaitForAsync(again, s => s.IsTerminal, "the resubmitted sweep to finish");

        Assert.True(status.State == SweepState.Finished, string.Join("; ", status.Runs.Select(r => $"{r.State} {r.Error}")));
        var trained = RecordingTrainer.For(submitted.Sweep.Directory).Skip(trainings).Select(t => (Path.GetFileName(t.RunDirectory), t.Iteration)).Order().ToList();
        Assert.Equal(new[] { (file.Runs[0].Hash, 2), (file.Runs[1].Hash, 1), (file.Runs[1].Hash, 2) }.Order(), trained);
        Assert.Contains(status.Runs[0].Warnings, w => w.Contains(Path.Combine(runs[0], "iter-002", "final.npz") + ": SHA-256", StringComparison.Ordinal));
        Assert.Contains(status.Runs[1].Warnings, w => w.Contains(summary + ": not a valid iteration summary", StringComparison.Ordinal));
        Assert.Empty(status.Runs[2].Warnings);

        // What verified is untouched: same bytes, same times (the mask iteration 2 trains from was moved back, not copied).
        Assert.Equal(keptRun0, FileTree.Snapshot(runs[0], keptRun0.ContainsKey));
        Assert.Equal(keptRun1, FileTree.Snapshot(runs[1], keptRun1.ContainsKey));
        Assert.Equal(legacyBefore, FileTree.Snapshot(runs[2]));
        foreach (string run in runs[..2])
        {
            Assert.Equal((3, null), (RunIntegrity.Check(run, IntegrityDepth.Full).Valid.Count, RunIntegrity.Check(run, IntegrityDepth.Full).Problem));
        }

        Assert.Equal(before[0]["iter-002/final.npz"].Bytes, new FileInfo(Path.Combine(runs[0], "iter-002", "final.npz")).Length);
    }

    /// <summary>The masks' contents per iteration (the archives' own timestamps differ between writes).</summary>
    private static List<string> Masks(string run) =>
    [
        .. RunIntegrity.IterationDirectories(run).Select(n => string.Join(";", NpzFile.Read(Path.Combine(run, $"iter-{n:D3}", "mask.npz"))
            .OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData((byte[])e.Value.Data))}"))),
    ];

    /// <summary>The entries that move to the quarantine when iteration 0 is set aside (all but spec.json), as they were.</summary>
    private static IEnumerable<KeyValuePair<string, (long Bytes, DateTime Modified, string Sha256)>> Moved(SortedDictionary<string, (long Bytes, DateTime Modified, string Sha256)> files) =>
        files.Where(e => e.Key is not ("spec.json" or StoreLink.FileName) && !e.Key.StartsWith('.'));
}
