using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>Options of `grid store` and its commands: the run store lives in a results root on this machine.</summary>
public class StoreSettings : CommandSettings
{
    [CommandOption("-r|--results <DIR>")]
    [Description("Results root whose run store (store/) and sweeps are read (default: $GRID_RESULTSROOT or ./results). On a cluster, the shared results volume as this machine mounts it.")]
    public string? Results { get; init; }

    public string ResultsRoot => GridSettings.ResultsRootOf(Results);

    public override ValidationResult Validate() =>
        Directory.Exists(ResultsRoot)
            ? ValidationResult.Success()
            : ValidationResult.Error($"results root '{ResultsRoot}': no such directory (give the directory that holds the sweeps with --results, or set $GRID_RESULTSROOT)");
}

public sealed class StoreMigrateSettings : StoreSettings
{
    [CommandOption("--dry-run")]
    [Description("Say what would be imported, linked and rewritten, and write nothing.")]
    public bool DryRun { get; init; }
}
