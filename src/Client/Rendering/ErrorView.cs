using Grid.Engine.Sweeps;
using Spectre.Console;

namespace Grid.Client.Rendering;

public static class ErrorView
{
    public static void SpecErrors(IAnsiConsole console, string source, IReadOnlyList<string> errors)
    {
        console.MarkupLine($"[red bold]{Format.Escape(source)}: {errors.Count} error{(errors.Count == 1 ? "" : "s")}; nothing was started[/]");
        foreach (string error in errors)
        {
            console.MarkupLine($"  [red]•[/] {Format.Escape(error)}");
        }
    }

    public static void SpecErrors(IAnsiConsole console, string source, IReadOnlyList<SpecError> errors) =>
        SpecErrors(console, source, [.. errors.Select(e => e.ToString())]);

    /// <summary>What a dry run could not check here, one line each.</summary>
    public static void Warnings(IAnsiConsole console, IReadOnlyList<SpecError> warnings)
    {
        foreach (var warning in warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Format.Escape(warning.ToString())}");
        }
    }

    public static void Problem(IAnsiConsole console, string message) =>
        console.MarkupLine($"[red]error:[/] {Format.Escape(message)}");

    /// <summary>Finished iterations whose stored files do not verify, and what to do about them.</summary>
    public static void CorruptResults(IAnsiConsole console, string sweepName, IReadOnlyList<string> problems)
    {
        console.MarkupLine($"[red bold]{Format.Escape(sweepName)}: {problems.Count} run{(problems.Count == 1 ? " has" : "s have")} finished iterations whose files do not verify[/]");
        foreach (string problem in problems)
        {
            console.MarkupLine($"  [red]•[/] {Format.Escape(problem)}");
        }

        console.MarkupLine("[yellow]`grid run` with the sweep's file sets these iterations (and every later one) aside and trains them again.[/]");
    }

    /// <summary>A console on standard error (for messages beside machine-readable output on standard out).</summary>
    public static IAnsiConsole Stderr { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
}
