using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>contention-train</c>, as <see cref="ContentionBenchmark"/> gives them to its trainers.</summary>
public sealed class ContentionTrainSettings : CommandSettings
{
    public static readonly string[] ThreadPolicies = ["adaptive", "fixed"];

    [CommandOption("--steps <N>")]
    [Description("Training steps per iteration.")]
    [DefaultValue("2000")]
    public string StepsText { get; init; } = "2000";

    [CommandOption("--threads <POLICY>")]
    [Description("adaptive: the grid's thread budget of one slot; fixed: one thread per core.")]
    [DefaultValue("adaptive")]
    public string Threads { get; init; } = "adaptive";

    [CommandOption("--forever")]
    [Description("Train iteration after iteration until killed.")]
    public bool Forever { get; init; }

    public int Steps => Integer(StepsText);

    public bool Adaptive => Threads == "adaptive";

    public override ValidationResult Validate() => FirstProblem(
        CheckInteger("--steps", StepsText),
        CheckChoice("--threads", Threads, ThreadPolicies));
}
