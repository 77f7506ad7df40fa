using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>bundle</c>: its three cases, or one custom case (<c>--hidden</c>).</summary>
public sealed class BundleSettings : CommandSettings
{
    public static readonly string[] Cases = ["small", "fashion", "paper"];

    [CommandOption("--only <CASE>")]
    [Description("One case only: small, fashion or paper.")]
    public string? Only { get; init; }

    [CommandOption("-k <K>")]
    [Description("Runs per bundle (default: per case; 8 with --hidden; --k is taken too).")]
    public string? KText { get; init; }

    [CommandOption("--steps <N>")]
    [Description("Steps per member per timing (default: per case; 20 with --hidden).")]
    public string? StepsText { get; init; }

    [CommandOption("--repetitions <R>")]
    [Description("Interleaved repetitions.")]
    [DefaultValue("5")]
    public string RepetitionsText { get; init; } = "5";

    [CommandOption("--threads <T,T,...>")]
    [Description("Thread counts.")]
    [DefaultValue("1,2")]
    public string ThreadsText { get; init; } = "1,2";

    [CommandOption("--hidden <W,W,...>")]
    [Description("A custom case of these hidden widths instead of the three cases.")]
    public string? HiddenText { get; init; }

    [CommandOption("--inputs <N>")]
    [Description("The custom case's inputs (default 784); only with --hidden.")]
    public string? InputsText { get; init; }

    [CommandOption("--classes <N>")]
    [Description("The custom case's classes (default 10); only with --hidden.")]
    public string? ClassesText { get; init; }

    [CommandOption("--batch <N>")]
    [Description("The custom case's batch size (default 100); only with --hidden.")]
    public string? BatchText { get; init; }

    public int? K => KText is null ? null : Integer(KText);

    public int? Steps => StepsText is null ? null : Integer(StepsText);

    public int Repetitions => Integer(RepetitionsText);

    public int[] ThreadCounts => Integers(ThreadsText);

    /// <summary>The custom case's hidden widths; empty: the three cases.</summary>
    public int[] Hidden => HiddenText is null ? [] : Integers(HiddenText);

    public int Inputs => InputsText is null ? 784 : Integer(InputsText);

    public int Classes => ClassesText is null ? 10 : Integer(ClassesText);

    public int Batch => BatchText is null ? 100 : Integer(BatchText);

    public override ValidationResult Validate() => FirstProblem(
        CheckChoice("--only", Only, Cases),
        CheckInteger("-k", KText),
        CheckInteger("--steps", StepsText),
        CheckInteger("--repetitions", RepetitionsText),
        CheckIntegers("--threads", ThreadsText),
        CheckIntegers("--hidden", HiddenText),
        CheckInteger("--inputs", InputsText),
        CheckInteger("--classes", ClassesText),
        CheckInteger("--batch", BatchText),
        CheckOnlyWith("--inputs", InputsText is not null, "--hidden", HiddenText is not null),
        CheckOnlyWith("--classes", ClassesText is not null, "--hidden", HiddenText is not null),
        CheckOnlyWith("--batch", BatchText is not null, "--hidden", HiddenText is not null),
        Only is not null && HiddenText is not null ? $"--only {Only}: a custom case (--hidden) replaces the three cases, give one or the other" : null);
}
