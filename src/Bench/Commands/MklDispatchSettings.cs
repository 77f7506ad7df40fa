using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>mkl-dispatch</c>.</summary>
public sealed class MklDispatchSettings : CommandSettings
{
    [CommandOption("--pairs <N>")]
    [Description("Pairs of processes (one with each setting, the order alternating).")]
    [DefaultValue("3")]
    public string PairsText { get; init; } = "3";

    [CommandOption("--steps <N>")]
    [Description("Timed dense steps per process.")]
    [DefaultValue("10")]
    public string StepsText { get; init; } = "10";

    [CommandOption("--only <WORKLOAD>")]
    [Description("The workload: paper, fashion or fashion-small.")]
    [DefaultValue("paper")]
    public string Only { get; init; } = "paper";

    public int Pairs => Integer(PairsText);

    public int Steps => Integer(StepsText);

    public override ValidationResult Validate() => FirstProblem(
        CheckInteger("--pairs", PairsText),
        CheckInteger("--steps", StepsText),
        CheckChoice("--only", Only, EngineSettings.Workloads));
}
