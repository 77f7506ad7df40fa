using Grid.Client.Data;
using Grid.Client.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid data import imagenet32|imagenet64 SOURCE: validate the downloads of image-net.org and place them (see <see cref="ImageNetImport"/>).</summary>
public sealed class DataImportCommand(IAnsiConsole console) : Command<DataImportSettings>
{
    public override int Execute(CommandContext context, DataImportSettings settings, CancellationToken cancellationToken)
    {
        string target = DataTarget.Resolve(settings.Dataset, settings.Directory);
        if (DataCommandOutput.Refused(console, settings.Dataset, target, "nothing was imported") is { } refusal)
        {
            return refusal;
        }

        console.MarkupLine($"importing [bold]{Format.Escape(settings.Dataset)}[/] from {Format.Escape(Path.GetFullPath(settings.Source))} into [blue]{Format.Escape(target)}[/]");
        try
        {
            var counts = new ImageNetImport(console).Run(settings.Dataset, settings.Source, target, cancellationToken);
            DataCommandOutput.Placed(console, settings.Dataset, target, counts);
            return ExitCodes.Ok;
        }
        catch (DataFetchException error)
        {
            ErrorView.Problem(console, error.Message);
            return ExitCodes.Failure;
        }
    }
}
