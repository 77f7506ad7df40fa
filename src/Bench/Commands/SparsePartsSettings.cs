using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>sparse-parts</c>.</summary>
public sealed class SparsePartsSettings : CommandSettings
{
    [CommandOption("-u <U,U,...>")]
    [Description("Densities, each above 0 and at most 1 (--u is taken too).")]
    [DefaultValue("0.01,0.1,0.343")]
    public string DensitiesText { get; init; } = "0.01,0.1,0.343";

    [CommandOption("--threads <T,T,...>")]
    [Description("Thread counts.")]
    [DefaultValue("1,2")]
    public string ThreadsText { get; init; } = "1,2";

    [CommandOption("--outputs <N>")]
    [Description("The layer's outputs.")]
    [DefaultValue("1024")]
    public string OutputsText { get; init; } = "1024";

    [CommandOption("--inputs <N>")]
    [Description("The layer's inputs.")]
    [DefaultValue("1024")]
    public string InputsText { get; init; } = "1024";

    [CommandOption("--batch <N>")]
    [Description("Batch size.")]
    [DefaultValue("1000")]
    public string BatchText { get; init; } = "1000";

    [CommandOption("--rounds <R>")]
    [Description("Rounds.")]
    [DefaultValue("7")]
    public string RoundsText { get; init; } = "7";

    [CommandOption("--repetitions <N>")]
    [Description("Calls per part per round.")]
    [DefaultValue("10")]
    public string RepetitionsText { get; init; } = "10";

    [CommandOption("--block <N>")]
    [Description("Rows per L1 block.")]
    [DefaultValue("64")]
    public string BlockText { get; init; } = "64";

    public double[] Densities => OptionValues.Densities(DensitiesText);

    public int[] ThreadCounts => Integers(ThreadsText);

    public int Outputs => Integer(OutputsText);

    public int Inputs => Integer(InputsText);

    public int Batch => Integer(BatchText);

    public int Rounds => Integer(RoundsText);

    public int Repetitions => Integer(RepetitionsText);

    public int Block => Integer(BlockText);

    public override ValidationResult Validate() => FirstProblem(
        CheckDensities("-u", DensitiesText),
        CheckIntegers("--threads", ThreadsText),
        CheckInteger("--outputs", OutputsText),
        CheckInteger("--inputs", InputsText),
        CheckInteger("--batch", BatchText),
        CheckInteger("--rounds", RoundsText),
        CheckInteger("--repetitions", RepetitionsText),
        CheckInteger("--block", BlockText));
}
