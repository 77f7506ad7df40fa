using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>row-walk</c>.</summary>
public sealed class RowWalkSettings : CommandSettings
{
    [CommandOption("--rows <N,N,...>")]
    [Description("Rows of 64 floats (256 bytes) per packed chunk: 160 fits the L1 cache, 1024 is a hidden layer's chunk (256 KB), 3072 the paper's first layer's (768 KB).")]
    [DefaultValue("160,1024,3072")]
    public string RowsText { get; init; } = "160,1024,3072";

    [CommandOption("--threads <T,T,...>")]
    [Description("Walks at once, one per thread, each over its own chunk.")]
    [DefaultValue("1,2")]
    public string ThreadsText { get; init; } = "1,2";

    [CommandOption("--rounds <R>")]
    [Description("Rounds; the best is printed.")]
    [DefaultValue("7")]
    public string RoundsText { get; init; } = "7";

    public int[] Rows => Integers(RowsText);

    public int[] ThreadCounts => Integers(ThreadsText);

    public int Rounds => Integer(RoundsText);

    public override ValidationResult Validate() => FirstProblem(
        CheckIntegers("--rows", RowsText),
        CheckIntegers("--threads", ThreadsText),
        CheckInteger("--rounds", RoundsText));
}
