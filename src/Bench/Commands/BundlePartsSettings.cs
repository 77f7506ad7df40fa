using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using static Grid.Bench.Commands.OptionValues;

namespace Grid.Bench.Commands;

/// <summary>Options of <c>bundle-parts</c>.</summary>
public sealed class BundlePartsSettings : CommandSettings
{
    [CommandOption("--only <CASE>")]
    [Description("One case only: small, fashion or paper.")]
    public string? Only { get; init; }

    [CommandOption("--threads <T,T,...>")]
    [Description("Thread counts.")]
    [DefaultValue("1,2")]
    public string ThreadsText { get; init; } = "1,2";

    public int[] ThreadCounts => Integers(ThreadsText);

    public override ValidationResult Validate() => FirstProblem(
        CheckChoice("--only", Only, BundleSettings.Cases),
        CheckIntegers("--threads", ThreadsText));
}
