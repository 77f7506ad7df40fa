using Grid.Client.Rendering;
using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid store [status]: what the run store of a results root holds, and the sweeps still to migrate.</summary>
public sealed class StoreStatusCommand(IAnsiConsole console) : Command<StoreSettings>
{
    public override int Execute(CommandContext context, StoreSettings settings, CancellationToken cancellationToken)
    {
        StoreView.Status(console, StoreStatus.Of(new SweepStore(settings.ResultsRoot)), settings.ResultsRoot);
        return ExitCodes.Ok;
    }
}

/// <summary>grid store migrate: brings the sweeps written before the run store into it, without retraining.</summary>
public sealed class StoreMigrateCommand(IAnsiConsole console) : Command<StoreMigrateSettings>
{
    public override int Execute(CommandContext context, StoreMigrateSettings settings, CancellationToken cancellationToken)
    {
        var sweeps = new SweepStore(settings.ResultsRoot);
        var pending = LegacyImport.Pending(sweeps);
        if (pending.Count == 0)
        {
            console.MarkupLine($"No sweep in [blue]{Format.Escape(sweeps.Root)}[/] was written before the run store: nothing to migrate.");
            return ExitCodes.Ok;
        }

        var import = new LegacyImport(sweeps, settings.DryRun);
        StoreView.MigrationStart(console, pending.Count, RunStore.Of(sweeps.Root).Root, settings.DryRun);
        var migrations = new List<SweepMigration>();
        foreach (var sweep in pending)
        {
            var migration = import.Migrate(sweep, cancellationToken);
            StoreView.Migration(console, migration, settings.DryRun);
            migrations.Add(migration);
        }

        StoreView.MigrationEnd(console, migrations, settings.DryRun);
        return migrations.All(m => m.Complete) ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
