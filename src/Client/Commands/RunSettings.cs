using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

public sealed class RunSettings : GridSettings
{
    [CommandArgument(0, "<SPEC>")]
    [Description("Sweep file (YAML): name, base, matrix, analysis. See experiments/ and schema/sweep.schema.json.")]
    public string Spec { get; init; } = "";

    [CommandOption("--dry-run")]
    [Description("Validate and print the expanded runs; start and write nothing.")]
    public bool DryRun { get; init; }

    [CommandOption("--detach")]
    [Description("Submit to the cluster (--gateway) and return without watching; `grid watch` follows it later.")]
    public bool Detach { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Embedded silo: cpu, cuda, cuda:N or auto (default: $GRID_DEVICE or cpu).")]
    public string? Device { get; init; }

    [CommandOption("--slots <N>")]
    [Description("Embedded silo: iterations trained at once (default: $GRID_DEVICESLOTS or 1).")]
    public int? Slots { get; init; }

    public override ValidationResult Validate()
    {
        if (Slots is < 1)
        {
            return ValidationResult.Error("--slots must be at least 1");
        }

        if (Detach && DryRun)
        {
            return ValidationResult.Error("--detach and --dry-run exclude each other");
        }

        return ValidationResult.Success();
    }
}
