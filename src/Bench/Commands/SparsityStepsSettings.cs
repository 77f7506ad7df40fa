using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>sparsity-steps</c>.</summary>
public sealed class SparsityStepsSettings : CommandSettings
{
    [CommandOption("--densities <U,U,...>")]
    [Description("Fractions of prunable weights kept; the first is the baseline (IMP p = 0.2: 1, 0.8, 0.64, 0.512, ...).")]
    [DefaultValue("1,0.8,0.64,0.512")]
    public string DensitiesText { get; init; } = "1,0.8,0.64,0.512";

    [CommandOption("--threads <T,T,...>")]
    [Description("Thread counts of the training thread (libtorch's and the sparse kernels').")]
    [DefaultValue("1,2")]
    public string ThreadsText { get; init; } = "1,2";

    [CommandOption("--kernels <K,K,...>")]
    [Description("Kernel settings: auto (the host's cost model, as training uses), dense, sparse.")]
    [DefaultValue("auto")]
    public string KernelsText { get; init; } = "auto";

    [CommandOption("--steps <N>")]
    [Description("Timed steps per case per round.")]
    [DefaultValue("200")]
    public string StepsText { get; init; } = "200";

    [CommandOption("--rounds <R>")]
    [Description("Rounds; every case runs once per round, in an order that rotates.")]
    [DefaultValue("11")]
    public string RoundsText { get; init; } = "11";

    public double[] Densities => OptionValues.Densities(DensitiesText);

    public int[] ThreadCounts => Integers(ThreadsText);

    public string[] Kernels => Items(KernelsText);

    public int Steps => Integer(StepsText);

    public int Rounds => Integer(RoundsText);

    public override ValidationResult Validate() => FirstProblem(
        CheckDensities("--densities", DensitiesText),
        CheckIntegers("--threads", ThreadsText),
        CheckChoices("--kernels", KernelsText, ["auto", "dense", "sparse"]),
        CheckInteger("--steps", StepsText),
        CheckInteger("--rounds", RoundsText));
}
