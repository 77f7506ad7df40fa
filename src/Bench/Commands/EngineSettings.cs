using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>engine</c>.</summary>
public sealed class EngineSettings : CommandSettings
{
    public static readonly string[] Workloads = ["paper", "fashion", "fashion-small"];

    [CommandOption("--device <DEVICE>")]
    [Description("The device to train on: cpu, cuda, cuda:N or auto.")]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";

    [CommandOption("--steps <N>")]
    [Description("Timed steps per workload.")]
    [DefaultValue("20")]
    public string StepsText { get; init; } = "20";

    [CommandOption("--only <WORKLOAD>")]
    [Description("One workload only: paper, fashion or fashion-small.")]
    public string? Only { get; init; }

    public int Steps => Integer(StepsText);

    public override ValidationResult Validate() => FirstProblem(
        CheckInteger("--steps", StepsText),
        CheckChoice("--only", Only, Workloads));
}
