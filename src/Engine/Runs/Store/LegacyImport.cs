using System.Text.Json;
using Grid.Engine.Data;
using Grid.Engine.IO;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// Brings sweeps written before the run store (sweep.json format 1: runs trained in their own directories) into it, so
/// that new sweeps reuse what they trained: per run, its identity from its spec.json, its finished iterations that verify
/// imported without training or copying (<see cref="LegacyRunImport"/>), then its store.json; once every run is handled,
/// sweep.json says format 2. The run directories keep their files, which are now the store's too. A run whose dataset is
/// not on this machine, or that a silo is training in place right now, is left as it is and its sweep stays format 1:
/// migrating again finishes the job, as it does after an interruption. A dry run reads everything and writes nothing.
/// </summary>
public sealed class LegacyImport(SweepStore sweeps, bool dryRun)
{
    private readonly RunStore _store = RunStore.Of(sweeps.Root);
    private readonly HashSet<string> _planned = new(StringComparer.Ordinal);

    public bool DryRun => dryRun;

    /// <summary>The sweeps of a results root written before the run store, oldest first.</summary>
    public static IReadOnlyList<SweepManifest> Pending(SweepStore sweeps) => [.. sweeps.List().Where(m => !m.UsesRunStore)];

    public SweepMigration Migrate(SweepManifest sweep, CancellationToken cancellationToken)
    {
        var compiled = new Lazy<IReadOnlyDictionary<string, ExperimentSpec>>(() => Compile(sweep));
        var runs = new List<RunMigration>();
        foreach (var run in sweep.Runs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            runs.Add(MigrateRun(sweep, run, compiled, cancellationToken));
        }

        var migration = new SweepMigration(sweep, runs);
        if (migration.Complete && !dryRun)
        {
            sweeps.UseRunStore(sweep);
        }

        return migration;
    }

    private RunMigration MigrateRun(SweepManifest sweep, ManifestRun run, Lazy<IReadOnlyDictionary<string, ExperimentSpec>> compiled, CancellationToken cancellationToken)
    {
        var result = new RunMigration { Index = run.Index, Hash = run.Hash };
        var legacy = new RunDirectory(sweeps.RunPath(sweep, run));
        if (SpecOf(legacy, run, compiled) is not { } spec)
        {
            return result with { Skipped = $"no {RunIntegrity.SpecFile} in {legacy.Path}, and sweep.json does not compile to this run any more" };
        }

        RunIdentity identity;
        try
        {
            identity = RunIdentity.Of(spec);
        }
        catch (Exception error) when (error is DatasetException or IOException or UnauthorizedAccessException)
        {
            return result with
            {
                Skipped = $"dataset {spec.Dataset.Name} cannot be read on this machine ({error.Message}); "
                    + "the run was left as it is: migrate again where the dataset is",
            };
        }

        StoreLink? link;
        try
        {
            link = StoreLink.Read(legacy.Path);
        }
        catch (CorruptArtifactException error)
        {
            return result with { Skipped = error.Message };
        }

        if (link is not null && (link.Trunk, link.Line) != (identity.Trunk, identity.Line))
        {
            return result with { Linked = true, Notes = [$"already linked to trunk {link.Trunk} and line {link.Line}, not to what its spec and data make now ({identity.Trunk}, {identity.Line}): left as it is"] };
        }

        using var claim = dryRun ? null : ClaimNextIteration(legacy);
        if (!dryRun && claim is null)
        {
            return result with { Skipped = "a silo is training it in its own directory right now: migrate again when its iteration has finished" };
        }

        var check = RunIntegrity.Check(legacy.Path, IntegrityDepth.Full);
        var notes = new List<string>();
        if (check.Problem is { } problem)
        {
            notes.Add($"iteration {problem.Iteration} and later were not imported ({problem}); `grid run` sets them aside and trains them again");
        }

        if (check.Unverified > 0)
        {
            notes.Add($"{check.Unverified} iteration{(check.Unverified == 1 ? " was" : "s were")} written before checksums were recorded: imported as they are (their files exist and their archives open)");
        }

        if (!dryRun)
        {
            _store.Register(identity);
        }

        var import = new LegacyRunImport(_store, identity, legacy, dryRun, _planned, cancellationToken);
        bool whole = import.Import(check.Valid);
        if (import.Difference is { } difference)
        {
            notes.Add(difference);
        }

        if (whole && !dryRun)
        {
            StoreLink.Write(legacy.Path, _store, identity);
        }

        return result with { Imported = import.Imported, AlreadyStored = import.AlreadyStored, Linked = whole, Notes = notes };
    }

    /// <summary>The claim a silo takes to train the run's next iteration in its directory: held while the run is
    /// migrated, so that no iteration is written in place meanwhile. Null while a silo holds it.</summary>
    private static FileClaim? ClaimNextIteration(RunDirectory legacy)
    {
        while (true)
        {
            int next = 0;
            while (File.Exists(legacy.SummaryFile(next)))
            {
                next++;
            }

            var claim = FileClaim.TryAcquire(legacy.ClaimFile(next), FileClaim.ThisProcess);
            if (claim is null || !File.Exists(legacy.SummaryFile(next)))
            {
                return claim;
            }

            claim.Dispose(); // the iteration finished just before the claim was taken: claim the one after it
        }
    }

    /// <summary>The run's spec.json; the spec sweep.json compiles to for a run that never started (or whose spec.json
    /// does not read: its iterations do not verify then, and none is imported).</summary>
    private static ExperimentSpec? SpecOf(RunDirectory legacy, ManifestRun run, Lazy<IReadOnlyDictionary<string, ExperimentSpec>> compiled)
    {
        if (File.Exists(legacy.SpecFile))
        {
            try
            {
                return SpecJson.Parse<ExperimentSpec>(File.ReadAllText(legacy.SpecFile));
            }
            catch (JsonException)
            {
                // as for a run without one
            }
        }

        return compiled.Value.GetValueOrDefault(run.Hash);
    }

    private static IReadOnlyDictionary<string, ExperimentSpec> Compile(SweepManifest sweep)
    {
        var compilation = SweepStore.Compile(sweep);
        return compilation.IsValid ? compilation.Runs.ToDictionary(r => r.Hash, r => r.Spec, StringComparer.Ordinal) : new Dictionary<string, ExperimentSpec>();
    }
}
