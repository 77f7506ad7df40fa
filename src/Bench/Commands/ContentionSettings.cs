using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>contention</c>.</summary>
public sealed class ContentionSettings : CommandSettings
{
    public static readonly string[] Competitors = ["busy", "trainer"];
    public static readonly string[] Policies = ["grid", "libtorch"];

    [CommandOption("--steps <N>")]
    [Description("Training steps per timed iteration.")]
    [DefaultValue("2000")]
    public string StepsText { get; init; } = "2000";

    [CommandOption("--pairs <P>")]
    [Description("Alone/shared pairs per row.")]
    [DefaultValue("3")]
    public string PairsText { get; init; } = "3";

    [CommandOption("--competitor <LIST>")]
    [Description("The competitors, one or both: busy,trainer.")]
    [DefaultValue("busy,trainer")]
    public string CompetitorsText { get; init; } = "busy,trainer";

    [CommandOption("--policy <LIST>")]
    [Description("The thread policies, one or both: grid,libtorch.")]
    [DefaultValue("grid,libtorch")]
    public string PoliciesText { get; init; } = "grid,libtorch";

    [CommandOption("--spin <N>")]
    [Description("The grid policy's GOMP_SPINCOUNT, 0 or more (default: Grid's own).")]
    public string? SpinText { get; init; }

    [CommandOption("--threads <POLICY>")]
    [Description("The grid policy's thread budget: adaptive or fixed.")]
    [DefaultValue("adaptive")]
    public string Threads { get; init; } = "adaptive";

    public int Steps => Integer(StepsText);

    public int Pairs => Integer(PairsText);

    public string[] CompetitorNames => Items(CompetitorsText);

    public string[] PolicyNames => Items(PoliciesText);

    public int? SpinCount => SpinText is null ? null : Integer(SpinText);

    public override ValidationResult Validate() => FirstProblem(
        CheckInteger("--steps", StepsText),
        CheckInteger("--pairs", PairsText),
        CheckChoices("--competitor", CompetitorsText, Competitors),
        CheckChoices("--policy", PoliciesText, Policies),
        CheckInteger("--spin", SpinText, minimum: 0),
        CheckChoice("--threads", Threads, ContentionTrainSettings.ThreadPolicies));
}
