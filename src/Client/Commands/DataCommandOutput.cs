using Grid.Client.Data;
using Grid.Client.Rendering;
using Grid.Engine.Data;
using Spectre.Console;

namespace Grid.Client.Commands;

/// <summary>What `grid data fetch` and `grid data import` say before and after placing a dataset.</summary>
internal static class DataCommandOutput
{
    /// <summary>The exit code when the target already holds something (the dataset, valid: 0), else null: go on.</summary>
    public static int? Refused(IAnsiConsole console, string dataset, string target, string nothingDone)
    {
        var (state, counts, problem) = DataTarget.Inspect(dataset, target);
        switch (state)
        {
            case TargetState.Valid:
                console.MarkupLine($"[green]{Format.Escape(dataset)}[/] is already in [blue]{Format.Escape(target)}[/] and valid{Counts(counts)}; {nothingDone}.");
                Hint(console, dataset, target);
                return ExitCodes.Ok;
            case TargetState.Invalid:
                ErrorView.Problem(console, $"{target} holds {dataset} files that do not validate ({problem}); remove them or give another --dir ({nothingDone})");
                return ExitCodes.Failure;
            case TargetState.Occupied:
                ErrorView.Problem(console, $"{target} is not empty and holds no {dataset}: give a new or empty directory with --dir ({nothingDone})");
                return ExitCodes.Failure;
            default:
                return null;
        }
    }

    public static void Placed(IAnsiConsole console, string dataset, string target, DatasetCounts? counts)
    {
        console.MarkupLine($"[green]{Format.Escape(dataset)}[/]{Counts(counts)} in [blue]{Format.Escape(target)}[/]");
        Hint(console, dataset, target);
    }

    private static void Hint(IAnsiConsole console, string dataset, string target)
    {
        if (DataTarget.HowRunsFindIt(dataset, target) is { } hint)
        {
            console.MarkupLine($"[yellow]note:[/] {Format.Escape(hint)}");
        }
    }

    private static string Counts(DatasetCounts? counts) =>
        counts is null ? "" : $" ({counts.Train:N0} training and {counts.Validation:N0} validation images)";
}
