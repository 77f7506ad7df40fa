using System.ComponentModel;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

public sealed class ResultsSettings : SweepReferenceSettings
{
    [CommandOption("--aggregate")]
    [Description("Show aggregate.csv (mean and std over seeds per axis point and iteration) instead of summary.csv.")]
    public bool Aggregate { get; init; }

    [CommandOption("--csv")]
    [Description("Print the raw CSV.")]
    public bool Csv { get; init; }
}

public sealed class StatusSettings : GridSettings
{
    [CommandArgument(0, "[SWEEP]")]
    [Description("Sweep name, hash or directory; all sweeps when omitted.")]
    public string? Sweep { get; init; }
}
