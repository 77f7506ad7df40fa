using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>sparse</c>.</summary>
public sealed class SparseSettings : CommandSettings
{
    public static readonly string[] Networks = ["paper", "fashion", "quickstart"];

    [CommandOption("--steps <N>")]
    [Description("Timed steps per point.")]
    [DefaultValue("5")]
    public string StepsText { get; init; } = "5";

    [CommandOption("--iterations <N>")]
    [Description("IMP iterations of the schedule.")]
    [DefaultValue("18")]
    public string IterationsText { get; init; } = "18";

    [CommandOption("--only <NETWORK>")]
    [Description("One network only: paper, fashion or quickstart (784-128x3-10, batch 100; only when named).")]
    public string? Only { get; init; }

    [CommandOption("-u <U>")]
    [Description("One density only, above 0 and at most 1 (--u is taken too).")]
    public string? DensityText { get; init; }

    [CommandOption("--auto-only")]
    [Description("Skip the dense kernels, e.g. to profile; only with -u.")]
    public bool AutoOnly { get; init; }

    [CommandOption("--packed-ab")]
    [Description("Packed activations against unpacked, at -u or at four densities.")]
    public bool PackedAb { get; init; }

    [CommandOption("--loss-ab")]
    [Description("The engine's SIMD softmax cross-entropy against libtorch's operations, at -u or at four densities.")]
    public bool LossAb { get; init; }

    [CommandOption("--phases")]
    [Description("Where the auto kernels' step goes at -u: ms per phase (the batch, each layer's products, each hidden "
        + "layer's BatchNorm and ReLU, the loss, freeing the activations, the update), the median of --rounds rounds of --steps steps.")]
    public bool Phases { get; init; }

    [CommandOption("--rounds <R>")]
    [Description("Rounds (default 20); only with --packed-ab, --loss-ab (alternating) or --phases.")]
    public string? RoundsText { get; init; }

    public int Steps => Integer(StepsText);

    public int Iterations => Integer(IterationsText);

    public double? Density => DensityText is null ? null : OptionValues.Density(DensityText);

    public int Rounds => RoundsText is null ? 20 : Integer(RoundsText);

    public override ValidationResult Validate() => FirstProblem(
        CheckInteger("--steps", StepsText),
        CheckInteger("--iterations", IterationsText),
        CheckChoice("--only", Only, Networks),
        CheckDensity("-u", DensityText),
        CheckInteger("--rounds", RoundsText),
        CheckOnlyWith("--auto-only", AutoOnly, "-u", DensityText is not null),
        CheckOnlyWith("--phases", Phases, "-u", DensityText is not null),
        Phases && (PackedAb || LossAb) ? "--phases: times the engine's step alone; give it without --packed-ab and --loss-ab" : null,
        CheckOnlyWith("--rounds", RoundsText is not null, "--packed-ab, --loss-ab or --phases", PackedAb || LossAb || Phases));
}
