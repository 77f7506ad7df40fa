using System.Security.Cryptography;
using Grid.Engine.Data;
using Grid.Engine.IO;
using Grid.Engine.Pruning;
using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using Grid.Tests.Shared;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Runs.Store;

/// <summary>Sweeps written before the run store (trained in place by the engine), brought into it by
/// <see cref="LegacyImport"/>, then reused by new sweeps.</summary>
public sealed class LegacyImportTests : IDisposable
{
    private readonly TemporaryDirectory _root = new("grid-legacy-");

    private SweepStore Sweeps => new(_root.Path);

    private RunStore Store => RunStore.Of(_root.Path);

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_migrated_sweep_is_extended_by_a_new_sweep_that_trains_only_what_is_new()
    {
        var legacy = LegacySweeps.Create(_root.Path, LegacySweeps.Tiny("legacy", methods: ["imp", "one-shot"]));

        var migration = Migrate(legacy);

        Assert.True(migration.Complete);
        Assert.Equal((3, 1), (migration.Imported, migration.AlreadyStored)); // one trunk and two lines; the one-shot run's trunk is the IMP run's
        Assert.All(migration.Runs, r => Assert.Equal((true, 0), (r.Linked, r.Notes.Count)));
        Assert.Empty(Trainings());
        Assert.Equal(3, Store.ReadJournal().Count(e => e.Event == StoreEvent.Imported));
        Assert.True(Sweeps.Find(legacy.Hash)!.UsesRunStore);

        string imp = RunPath(legacy, "imp"), oneShot = RunPath(legacy, "one-shot");
        var (impLink, oneShotLink) = (StoreLink.Read(imp)!, StoreLink.Read(oneShot)!);
        Assert.Equal(impLink.Trunk, oneShotLink.Trunk);
        var impLine = new RunDirectory(Store.LinePath(impLink.Line));
        Assert.Equal(FileIdentity.Of(impLine.FinalWeightsFile(1))!.Value.Id, FileIdentity.Of(Path.Combine(imp, "iter-001", "final.npz"))!.Value.Id); // linked, not copied
        Assert.Equal((2, null), Verified(imp)); // the run directories read as before
        Assert.Equal((2, null), Verified(oneShot));

        // One-shot's own end holds for every run of its line; IMP stopped at this run's max_iterations: nothing is recorded.
        var end = PruneRecordOf(oneShotLink.Line, 2);
        Assert.Equal(("one-shot pruning trains a single pruned iteration", null), (end.StopReason, end.Mask));
        Assert.False(File.Exists(Path.Combine(impLine.IterationPath(2), PruneRecord.FileName)));

        // IMP one iteration further, one-shot again, and SNIP beside them, on the same seed.
        var extended = TrainNewSweep(LegacySweeps.Tiny("extended", methods: ["imp", "one-shot", "snip"], maxIterations: 2));

        string newImp = RunPath(extended, "imp"), snip = RunPath(extended, "snip");
        Assert.Equal(new[] { ("line", impLink.Line, 2), ("line", StoreLink.Read(snip)!.Line, 1) }.Order(), Trainings().Order()); // no trunk
        Assert.Equal(2, RunExecutor.FinishedIterations(RunPath(extended, "one-shot")).Count);
        for (int n = 0; n <= 1; n++)
        {
            Assert.True(MasksEqual(Path.Combine(imp, $"iter-{n:D3}", "mask.npz"), Path.Combine(newImp, $"iter-{n:D3}", "mask.npz")), $"mask {n}");
        }

        // The iteration trained on top of the imported ones is the one a run trained in place all along gets.
        string inPlace = Path.Combine(_root.Path, "in-place");
        var reference = RunExecutor.RunToEnd(LegacySweeps.Spec(Sweeps, extended, Manifest(extended, "imp")), inPlace, CPU, null, CancellationToken.None);
        Assert.True(MasksEqual(Path.Combine(inPlace, "iter-002", "mask.npz"), Path.Combine(newImp, "iter-002", "mask.npz")));
        Assert.Equal(reference.Select(o => o.BestValAccuracy), RunExecutor.FinishedIterations(newImp).Select(o => o.BestValAccuracy));
    }

    [Fact]
    public void A_dry_run_writes_nothing_and_counts_what_the_migration_then_imports()
    {
        var legacy = LegacySweeps.Create(_root.Path, LegacySweeps.Tiny("legacy", methods: ["imp", "one-shot"]));
        var before = _root.Snapshot();

        var dry = new LegacyImport(Sweeps, dryRun: true).Migrate(legacy, CancellationToken.None);

        Assert.Equal(before, _root.Snapshot());
        Assert.False(Directory.Exists(Store.Root));
        var real = Migrate(legacy);
        Assert.Equal((3, 1, true), (dry.Imported, dry.AlreadyStored, dry.Complete));
        Assert.Equal((dry.Imported, dry.AlreadyStored, dry.Complete), (real.Imported, real.AlreadyStored, real.Complete));
    }

    [Fact]
    public void Migrating_again_after_an_interruption_finishes_the_job_and_changes_nothing_else()
    {
        var legacy = LegacySweeps.Create(_root.Path, LegacySweeps.Tiny("legacy", seeds: [1, 2]));
        string manifestFile = Path.Combine(Sweeps.SweepPath(legacy), SweepLayout.ManifestFile);
        string legacyManifest = File.ReadAllText(manifestFile);
        var first = Migrate(legacy);
        Assert.Equal((4, 0), (first.Imported, first.AlreadyStored));
        var migrated = Contents();

        // As if the first pass had stopped before its last run's link and the rewrite of sweep.json.
        File.WriteAllText(manifestFile, legacyManifest);
        File.Delete(Path.Combine(Sweeps.RunPath(legacy, legacy.Runs[^1]), StoreLink.FileName));
        var pending = Assert.Single(LegacyImport.Pending(Sweeps));
        var second = Migrate(pending);

        Assert.Equal((0, 4, true), (second.Imported, second.AlreadyStored, second.Complete));
        Assert.Equal(migrated, Contents());
        Assert.Equal(4, Store.ReadJournal().Count(e => e.Event == StoreEvent.Imported));
        Assert.Empty(LegacyImport.Pending(Sweeps));
    }

    [Fact]
    public void An_unfinished_legacy_run_brings_its_next_mask_and_goes_on_from_the_store()
    {
        var legacy = LegacySweeps.Create(_root.Path, LegacySweeps.Tiny("unfinished", maxIterations: 2), iterations: 2);
        string run = RunPath(legacy, "imp");

        Assert.Equal(2, Migrate(legacy).Imported);

        var link = StoreLink.Read(run)!;
        var next = PruneRecordOf(link.Line, 2);
        Assert.NotNull(next.Mask);
        Assert.Equal(Sha256(Path.Combine(run, "iter-001", "final.npz")), next.FromSha256);
        using (var mask = new MaskSet(TensorArchive.LoadMasks(Path.Combine(run, "iter-002", "mask.npz"))))
        {
            Assert.Equal(mask.ConnectedNodeFractions(), next.ConnectedNodeFractions);
        }

        var outcomes = RunExecutor.RunToEnd(LegacySweeps.Spec(Sweeps, legacy, legacy.Runs[0]), run, CPU, null, CancellationToken.None);

        Assert.Equal([("line", link.Line, 2)], Trainings()); // the imported mask is trained with, not cut again
        Assert.DoesNotContain(Store.ReadJournal(), e => e.Event == StoreEvent.Pruned && e.Iteration == 2);
        Assert.Equal("reached max_iterations (2)", outcomes[^1].StopReason);
        Assert.Equal((3, null), Verified(run));
    }

    [Fact]
    public void A_run_whose_dataset_is_not_here_is_left_as_it_is_until_a_later_migration()
    {
        using var data = new TemporaryDirectory("grid-legacy-data-");
        foreach (string file in Directory.EnumerateFiles(DatasetCatalog.ResolveDirectory(new DatasetSpec())))
        {
            File.Copy(file, Path.Combine(data.Path, Path.GetFileName(file)));
        }

        var legacy = LegacySweeps.Create(_root.Path, LegacySweeps.Tiny("elsewhere", datasetPath: data.Path));
        string away = data.Path + "-away";
        Directory.Move(data.Path, away);
        try
        {
            var before = _root.Snapshot();
            var migration = Migrate(legacy);

            var skipped = Assert.Single(migration.Skipped);
            Assert.Contains("dataset fashion-mnist cannot be read on this machine", skipped.Skipped);
            Assert.Contains(data.Path, skipped.Skipped);
            Assert.False(migration.Complete);
            Assert.Equal(before, _root.Snapshot()); // nothing half-written: no store, no link, sweep.json as it was
            Assert.Single(LegacyImport.Pending(Sweeps));
        }
        finally
        {
            Directory.Move(away, data.Path);
        }

        var again = Migrate(Assert.Single(LegacyImport.Pending(Sweeps)));
        Assert.Equal((2, true), (again.Imported, again.Complete));
    }

    [Fact]
    public void A_run_that_differs_from_the_store_keeps_the_stored_iterations_and_its_own_directory()
    {
        var first = LegacySweeps.Create(_root.Path, LegacySweeps.Tiny("first"));
        Migrate(first);
        var second = LegacySweeps.Create(_root.Path, LegacySweeps.Tiny("second"));
        string run = RunPath(second, "imp");
        OtherWeights(run, iteration: 1); // as trained on another machine: the same run, other arrays
        var line = new RunDirectory(Store.LinePath(StoreLink.Read(RunPath(first, "imp"))!.Line));
        string stored = Sha256(line.FinalWeightsFile(1));

        var migration = Migrate(second);

        var result = Assert.Single(migration.Runs);
        Assert.Equal((0, 1, false), (result.Imported, result.AlreadyStored, result.Linked));
        Assert.Contains("iteration 1: the run store's line", Assert.Single(result.Notes));
        Assert.True(migration.Complete);
        Assert.Null(StoreLink.Read(run)); // it goes on in its own directory
        Assert.Equal(stored, Sha256(line.FinalWeightsFile(1)));
        Assert.Equal((2, null), Verified(run));
    }

    private SweepMigration Migrate(SweepManifest sweep) => new LegacyImport(Sweeps, dryRun: false).Migrate(sweep, CancellationToken.None);

    /// <summary>A sweep written now (linked to the run store), trained run by run as the grid trains them.</summary>
    private SweepManifest TrainNewSweep(string document)
    {
        var compilation = SweepCompiler.Compile(System.Text.Json.Nodes.JsonNode.Parse(document));
        var manifest = Sweeps.Create(compilation.Require(), compilation.Runs, null, DateTimeOffset.UtcNow);
        Assert.True(manifest.UsesRunStore);
        foreach (var plan in compilation.Runs)
        {
            RunExecutor.RunToEnd(plan.Spec, Sweeps.RunPath(manifest, manifest.Runs.Single(r => r.Hash == plan.Hash)), CPU, null, CancellationToken.None);
        }

        return manifest;
    }

    private ManifestRun Manifest(SweepManifest sweep, string method) =>
        sweep.Runs.Single(r => LegacySweeps.Spec(Sweeps, sweep, r).Pruning.Method == method);

    private string RunPath(SweepManifest sweep, string method) => Sweeps.RunPath(sweep, Manifest(sweep, method));

    private IReadOnlyList<(string Part, string Id, int Iteration)> Trainings() =>
        [.. Store.ReadJournal().Where(e => e.Event == StoreEvent.Trained).Select(e => (e.Part, e.Id, e.Iteration))];

    private PruneRecord PruneRecordOf(string line, int iteration) =>
        SpecJson.Parse<PruneRecord>(File.ReadAllText(Path.Combine(Store.LinePath(line), $"iter-{iteration:D3}", PruneRecord.FileName)));

    private static (int Valid, IntegrityProblem? Problem) Verified(string run)
    {
        var check = RunIntegrity.Check(run, IntegrityDepth.Full);
        return (check.Valid.Count, check.Problem);
    }

    /// <summary>Every file under the results root by content (claims' lock files aside: they name their last holder).</summary>
    private SortedDictionary<string, string> Contents() =>
        new(Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(_root.Path, f), Sha256), StringComparer.Ordinal);

    private static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>Replaces an iteration's final weights by slightly other ones and records them as the iteration's own.</summary>
    private static void OtherWeights(string run, int iteration)
    {
        var directory = new RunDirectory(run);
        var weights = TensorArchive.Load(directory.FinalWeightsFile(iteration));
        string first = weights.Keys.Order(StringComparer.Ordinal).First();
        weights[first] = weights[first].add(1e-3f);
        TensorArchive.Save(directory.FinalWeightsFile(iteration), weights);
        var outcome = directory.ReadOutcome(iteration)!;
        directory.WriteOutcome(outcome with { Files = RunIntegrity.Record(run, iteration, outcome.IsLast) });
    }

    private static bool MasksEqual(string a, string b)
    {
        var left = TensorArchive.LoadMasks(a);
        var right = TensorArchive.LoadMasks(b);
        return left.Count == right.Count && left.Zip(right).All(pair => pair.First.equal(pair.Second).all().item<bool>());
    }
}
