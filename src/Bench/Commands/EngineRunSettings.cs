using System.ComponentModel;
using Spectre.Console.Cli;

namespace Grid.Bench.Commands;

/// <summary>The argument of <c>engine-run</c>: the run spec to train (checked when the run starts).</summary>
public sealed class EngineRunSettings : CommandSettings
{
    [CommandArgument(0, "<spec.json>")]
    [Description("A run's spec.json, e.g. results/<sweep>/runs/<run>/spec.json.")]
    public string SpecPath { get; init; } = "";
}
