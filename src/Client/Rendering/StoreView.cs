using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;
using Spectre.Console;

namespace Grid.Client.Rendering;

/// <summary>What `grid store` and `grid store migrate` print.</summary>
public static class StoreView
{
    public static void Status(IAnsiConsole console, StoreStatus status, string resultsRoot)
    {
        if (!status.Exists)
        {
            console.MarkupLine($"No run store in [blue]{Format.Escape(status.Root)}[/] yet: no sweep has trained through it.");
        }
        else
        {
            console.MarkupLine($"Run store [blue]{Format.Escape(status.Root)}[/]");
            var table = new Table().Border(TableBorder.None).HideHeaders();
            table.AddColumn("what");
            table.AddColumn("value");
            table.AddRow("trunks", $"{status.Trunks} [grey](dense iteration 0 of a seed and setup; {status.TrunkIterations} trained)[/]");
            table.AddRow("lines", $"{status.Lines} [grey](pruned iterations of one procedure from one trunk)[/]");
            table.AddRow("stored iterations", $"{status.TrunkIterations + status.LineIterations} [grey]({status.TrunkIterations} dense, {status.LineIterations} pruned)[/]");
            table.AddRow("on disk", $"{Size(status.Store)} [grey](the whole results root: {Size(status.ResultsRoot)}; a sweep's run directories link the store's files)[/]");
            table.AddRow("journal", $"{Format.Count(status.Trained, "iteration")} trained ({Format.Duration(status.TrainedSeconds)}), {Format.Count(status.MasksCut, "mask")} cut, "
                + $"{status.Imported} imported from sweeps written before the run store ({Format.Duration(status.ImportedSeconds)} of training then)");
            console.Write(table);
        }

        if (status.ToMigrate.Count == 0)
        {
            console.MarkupLine(status.Sweeps == 0
                ? "No sweeps in this results root."
                : $"{Format.Count(status.Sweeps, "sweep")}, {(status.Sweeps == 1 ? "it uses" : "all use")} the run store.");
            return;
        }

        console.MarkupLine($"{Format.Count(status.Sweeps, "sweep")}; [yellow]{status.ToMigrate.Count} written before the run store[/] "
            + "(runs that train in their own directories: new sweeps cannot reuse what they trained):");
        foreach (var sweep in status.ToMigrate)
        {
            console.MarkupLine($"  {Format.Escape(sweep.Directory)}");
        }

        console.MarkupLine($"Bring them in without retraining: [blue]grid store migrate --results {Format.Escape(resultsRoot)}[/] (with --dry-run first to see what it would do).");
    }

    public static void MigrationStart(IAnsiConsole console, int sweeps, string store, bool dryRun) =>
        console.MarkupLine(dryRun
            ? $"Dry run: what migrating {Format.Count(sweeps, "sweep")} written before the run store into [blue]{Format.Escape(store)}[/] would do (nothing is written)."
            : $"Migrating {Format.Count(sweeps, "sweep")} written before the run store into [blue]{Format.Escape(store)}[/] (no training, no copies: the store links the runs' files).");

    /// <summary>"quickstart-1c5a…: 2 runs, 6 iterations imported, 0 already stored", then what people must know.</summary>
    public static void Migration(IAnsiConsole console, SweepMigration migration, bool dryRun)
    {
        var sweep = migration.Sweep;
        string counts = dryRun
            ? $"{Format.Count(sweep.Runs.Count, "run")}, {Format.Count(migration.Imported, "iteration")} to import, {migration.AlreadyStored} already stored"
            : $"{Format.Count(sweep.Runs.Count, "run")}, {Format.Count(migration.Imported, "iteration")} imported, {migration.AlreadyStored} already stored";
        console.MarkupLine($"  [bold]{Format.Escape(Label(sweep))}[/]: {counts}");
        foreach (var run in migration.Runs)
        {
            string which = $"run {run.Index} ({run.Hash[..Math.Min(8, run.Hash.Length)]}…)";
            if (run.Skipped is { } skipped)
            {
                console.MarkupLine($"    [yellow]{which} skipped:[/] {Format.Escape(skipped)}");
            }

            foreach (string note in run.Notes)
            {
                console.MarkupLine($"    [yellow]{which}:[/] {Format.Escape(note)}");
            }
        }

        if (!migration.Complete)
        {
            console.MarkupLine($"    [yellow]{(dryRun ? "would stay" : "stays")} written the old way (sweep.json format 1) until {(migration.Skipped.Count == 1 ? "this run is" : "these runs are")} migrated[/]");
        }
    }

    public static void MigrationEnd(IAnsiConsole console, IReadOnlyList<SweepMigration> migrations, bool dryRun)
    {
        int complete = migrations.Count(m => m.Complete);
        if (dryRun)
        {
            console.MarkupLine($"Nothing was written. Without --dry-run, {Format.Count(complete, "sweep")} would take {(complete == 1 ? "its" : "their")} runs' iterations from the run store"
                + (complete < migrations.Count ? $" and {migrations.Count - complete} would stay as {(migrations.Count - complete == 1 ? "it is" : "they are")}." : "."));
            return;
        }

        console.MarkupLine($"[green]{Format.Count(complete, "sweep")} now take{(complete == 1 ? "s" : "")} {(complete == 1 ? "its" : "their")} runs' iterations from the run store[/]: "
            + "new sweeps reuse what they trained. `grid store` shows what it holds.");
        if (complete < migrations.Count)
        {
            console.MarkupLine($"[yellow]{migrations.Count - complete} still written the old way[/]: `grid store migrate` again, once what held them back is resolved, finishes the job.");
        }
    }

    /// <summary>"quickstart-1c5a…": the sweep's name and the start of its hash.</summary>
    public static string Label(SweepManifest sweep) => $"{sweep.Name}-{sweep.Hash[..Math.Min(4, sweep.Hash.Length)]}…";

    private static string Size(DiskUsage usage) =>
        usage.Apparent
            ? $"{Format.Bytes(usage.Bytes)} apparent size in {Format.Count(usage.Files, "file")} (hard links could not be told apart here)"
            : $"{Format.Bytes(usage.Bytes)} in {Format.Count(usage.Files, "file")}";
}
