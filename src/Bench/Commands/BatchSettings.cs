using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>batch</c>.</summary>
public sealed class BatchSettings : CommandSettings
{
    [CommandOption("--features <N,N,...>")]
    [Description("Pixels per image: 3072 is the paper's 32x32x3, 784 Fashion-MNIST's 28x28.")]
    [DefaultValue("3072,784")]
    public string FeaturesText { get; init; } = "3072,784";

    [CommandOption("--threads <T,T,...>")]
    [Description("libtorch thread counts of the drawing thread.")]
    [DefaultValue("1,2")]
    public string ThreadsText { get; init; } = "1,2";

    [CommandOption("--batch <N>")]
    [Description("Images per batch.")]
    [DefaultValue("1000")]
    public string BatchText { get; init; } = "1000";

    [CommandOption("--rounds <R>")]
    [Description("Alternating rounds.")]
    [DefaultValue("11")]
    public string RoundsText { get; init; } = "11";

    [CommandOption("--repetitions <N>")]
    [Description("Batches drawn per path per round.")]
    [DefaultValue("20")]
    public string RepetitionsText { get; init; } = "20";

    public int[] Features => Integers(FeaturesText);

    public int[] ThreadCounts => Integers(ThreadsText);

    public int Batch => Integer(BatchText);

    public int Rounds => Integer(RoundsText);

    public int Repetitions => Integer(RepetitionsText);

    public override ValidationResult Validate() => FirstProblem(
        CheckIntegers("--features", FeaturesText),
        CheckIntegers("--threads", ThreadsText),
        CheckInteger("--batch", BatchText),
        CheckInteger("--rounds", RoundsText),
        CheckInteger("--repetitions", RepetitionsText));
}
