using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

public sealed class CompareSettings : GridSettings
{
    [CommandArgument(0, "<SWEEP-OR-RUN>")]
    [Description("Two or more sweeps (name, hash or its first characters, or directory) or runs (SWEEP/RUN with the run's hash or its first characters, "
        + "a run's hash alone when no sweep shares it, or a run directory). A sweep stands for its runs, one series per point of its matrix (seeds pooled).")]
    public string[] References { get; init; } = [];

    [CommandOption("-o|--output <FILE>")]
    [Description("The page to write (default: compare-<names>.html in --results); its figures and numbers go to the directory beside it, named like it with .figures for .html.")]
    public string? Output { get; init; }

    public override ValidationResult Validate() =>
        References.Length < 2
            ? ValidationResult.Error("give at least two sweeps or runs to compare")
            : Output is not null && Directory.Exists(Output)
                ? ValidationResult.Error($"--output '{Output}' is a directory; give the file to write (e.g. {Path.Combine(Output, "compare.html")})")
                : ValidationResult.Success();
}
