using System.ComponentModel;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>Options every command shares.</summary>
public class GridSettings : CommandSettings
{
    [CommandOption("-g|--gateway <HOST:PORT>")]
    [Description("Gateway of a running grid cluster (default: $GRID_GATEWAY). Without it, `run` hosts an embedded silo and `list`/`status`/`results` read --results directly.")]
    public string? Gateway { get; init; }

    [CommandOption("-r|--results <DIR>")]
    [Description("Results directory for the embedded silo and for local reads (default: $GRID_RESULTSROOT or ./results).")]
    public string? Results { get; init; }

    public string ResultsRoot => ResultsRootOf(Results);

    /// <summary>--results when given, else $GRID_RESULTSROOT (or Grid__ResultsRoot), else ./results.</summary>
    public static string ResultsRootOf(string? results) =>
        results ?? Environment.GetEnvironmentVariable("GRID_RESULTSROOT") ?? Environment.GetEnvironmentVariable("Grid__ResultsRoot") ?? "results";
}

public class SweepReferenceSettings : GridSettings
{
    [CommandArgument(0, "<SWEEP>")]
    [Description("Sweep name, hash (or its first characters) or directory.")]
    public string Sweep { get; init; } = "";
}
