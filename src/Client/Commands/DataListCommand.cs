using Grid.Client.Rendering;
using Grid.Engine.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid data: every known dataset, where runs on this machine look for it, and whether it is there and valid.</summary>
public sealed class DataListCommand(IAnsiConsole console) : Command<EmptyCommandSettings>
{
    public override int Execute(CommandContext context, EmptyCommandSettings settings, CancellationToken cancellationToken)
    {
        string? configured = Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable);
        console.MarkupLine($"data directory: [blue]{Format.Escape(DataDirectory.Root)}[/] "
            + (string.IsNullOrWhiteSpace(configured) ? $"[grey](${DataDirectory.EnvironmentVariable} is not set)[/]" : $"[grey](${DataDirectory.EnvironmentVariable})[/]"));
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("dataset");
        table.AddColumn("looked for in");
        table.AddColumn("state");
        table.AddColumn("to get it");
        int invalid = 0;
        foreach (var (name, source) in DatasetCatalog.Sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var location = DatasetCatalog.Locate(name);
            string where = $"{Format.Escape(location.Directory)}\n[grey]{Format.Escape(Origin(location, source))}[/]";
            var (state, problem) = State(location, source);
            invalid += problem ? 1 : 0;
            table.AddRow(Format.Escape(name), where, state, Format.Escape(string.Join("\n", source.GetHints)));
        }

        console.Write(table);
        console.MarkupLine("[grey]A sweep's dataset.path overrides these directories. `grid run --dry-run` warns about a dataset absent here; on a cluster, each silo reads its own.[/]");
        return invalid > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string Origin(DatasetLocation location, DatasetSource source) =>
        location.Origin.StartsWith('$')
            ? $"from {location.Origin}"
            : $"{location.Origin}; ${source.EnvironmentVariable} is not set"
                + (location.Considered.Count > 1 ? $"; also looked in {string.Join(", ", location.Considered.Where(c => c != location.Directory))}" : "");

    /// <summary>The state as markup, and whether it is a problem (files there that do not validate).</summary>
    private static (string State, bool Problem) State(DatasetLocation location, DatasetSource source)
    {
        if (!source.HasAnyFile(location.Directory))
        {
            return (location.Exists ? "[grey]absent[/] (directory without its files)" : "[grey]absent[/]", false);
        }

        try
        {
            var counts = source.Validate(location.Directory);
            return (counts is null
                ? "[green]valid[/] (pickles: image counts known once loaded)"
                : $"[green]valid[/]: {counts.Train:N0} training, {counts.Validation:N0} validation images", false);
        }
        catch (Exception error) when (error is DatasetException or IOException or UnauthorizedAccessException)
        {
            return ($"[red]invalid[/]: {Format.Escape(error.Message)}", true);
        }
    }
}
