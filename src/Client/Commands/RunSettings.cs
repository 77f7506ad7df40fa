using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

public sealed class RunSettings : GridSettings
{
    [CommandArgument(0, "<SPEC>")]
    [Description("Sweep file (YAML): name, base, matrix, analysis. See experiments/ and schema/sweep.schema.json.")]
    public string Spec { get; init; } = "";

    [CommandArgument(1, "[OVERRIDES]")]
    [Description("Overrides of the file, checked like it: field=value sets a field (training.steps=500, network.hidden=[256,256]); "
        + "field=v1,v2,... makes it a matrix axis (seed=0,1,2) or replaces the values of the axis the file has; also name=... and analysis=a,b. "
        + "Shown by --dry-run and kept in the sweep's sweep.yaml.")]
    public string[] Overrides { get; init; } = [];

    [CommandOption("--dry-run")]
    [Description("Validate everything `run` would later fail on (spec, dataset and mapping files, labels, device) and print the expanded runs; start and write nothing. "
        + "A dataset absent on this machine is a warning (the sweep may be meant for a cluster); --strict makes it an error.")]
    public bool DryRun { get; init; }

    [CommandOption("--strict")]
    [Description("With --dry-run: a dataset that is not on this machine is an error, as for a run that trains here (without it, a warning that says where the silos will look).")]
    public bool Strict { get; init; }

    [CommandOption("--detach")]
    [Description("Submit to the cluster (--gateway) and return without watching; `grid watch` follows it later.")]
    public bool Detach { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Embedded silo: cpu, cuda, cuda:N, cuda:all, auto or a comma-separated list; checked before anything starts (default: $GRID_DEVICE or cpu).")]
    public string? Device { get; init; }

    /// <summary>As typed; read as a number by <see cref="Validate"/> so that a bad value is named in the error
    /// (Spectre's own conversion error names only the CLR type).</summary>
    [CommandOption("--slots <N>")]
    [Description("Embedded silo: iterations trained at once, at least 1 (default: $GRID_DEVICESLOTS, else one per core on the CPU, sharing the cores, and one per CUDA device).")]
    public string? SlotsText { get; init; }

    public int? Slots => SlotsText is null ? null : int.Parse(SlotsText, NumberStyles.None, CultureInfo.InvariantCulture);

    [CommandOption("--metrics-port <PORT>")]
    [Description("Embedded silo: serve GET /metrics (Prometheus) and /healthz on 127.0.0.1:PORT while the sweep runs, so that a local Prometheus and the Grafana dashboards see it (docs/metrics.md).")]
    public string? MetricsPortText { get; init; }

    public int? MetricsPort => MetricsPortText is null ? null : int.Parse(MetricsPortText, NumberStyles.None, CultureInfo.InvariantCulture);

    public override ValidationResult Validate()
    {
        if (Overrides.FirstOrDefault(o => !Specs.SpecOverride.Looks(o)) is { } stray)
        {
            return ValidationResult.Error($"'{stray}': after the sweep file only overrides are accepted, key=value (e.g. training.steps=500) or key=v1,v2,... (a matrix axis)");
        }

        if (SlotsText is not null && (!int.TryParse(SlotsText, NumberStyles.None, CultureInfo.InvariantCulture, out int slots) || slots < 1))
        {
            return ValidationResult.Error($"--slots '{SlotsText}': expected a whole number of at least 1 (iterations the embedded silo trains at once)");
        }

        if (MetricsPortText is not null && (!int.TryParse(MetricsPortText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535))
        {
            return ValidationResult.Error($"--metrics-port '{MetricsPortText}': expected a TCP port, 1 to 65535");
        }

        if (Detach && DryRun)
        {
            return ValidationResult.Error("--detach and --dry-run exclude each other");
        }

        if (Strict && !DryRun)
        {
            return ValidationResult.Error("--strict changes only --dry-run: a run that trains here always requires its datasets here");
        }

        return ValidationResult.Success();
    }
}
