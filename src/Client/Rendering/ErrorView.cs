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

    public static void Problem(IAnsiConsole console, string message) =>
        console.MarkupLine($"[red]error:[/] {Format.Escape(message)}");
}
