using Grid.Client.Data;
using Grid.Client.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid data fetch DATASET: download, check the pinned checksums, unpack, validate, place (see <see cref="DatasetFetch"/>).</summary>
public sealed class DataFetchCommand(IAnsiConsole console) : AsyncCommand<DataFetchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DataFetchSettings settings, CancellationToken cancellationToken)
    {
        var download = DatasetDownloads.For(settings.Dataset);
        var expected = download.Files.ToDictionary(f => f.Name, f => f.Md5, StringComparer.Ordinal);
        string expectedSource = $"the pinned MD5s ({download.ChecksumSource})";
        if (settings.Checksums is { } checksums)
        {
            var (sums, error) = Md5Sums.Read(checksums, expected.Keys);
            if (error is not null)
            {
                ErrorView.Problem(console, error);
                return ExitCodes.InvalidInput;
            }

            foreach (var (name, md5) in sums!)
            {
                expected[name] = md5;
            }

            expectedSource = sums!.Count == expected.Count ? $"the MD5s of {checksums}" : $"the MD5s of {checksums} and the pinned ones";
        }

        string target = DataTarget.Resolve(settings.Dataset, settings.Directory);
        if (Refused(settings.Dataset, target) is { } refusal)
        {
            return refusal;
        }

        IReadOnlyList<string> mirrors = settings.Mirror is { } mirror ? [mirror] : download.Mirrors;
        console.MarkupLine($"fetching [bold]{Format.Escape(settings.Dataset)}[/] from {Format.Escape(mirrors[0])}{(mirrors.Count > 1 ? $" (then {Format.Escape(string.Join(", ", mirrors.Skip(1)))})" : "")} into [blue]{Format.Escape(target)}[/]");
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var counts = await new DatasetFetch(console, http).RunAsync(download, mirrors, expected, expectedSource, target, cancellationToken);
            DataCommandOutput.Placed(console, settings.Dataset, target, counts);
            return ExitCodes.Ok;
        }
        catch (DataFetchException error)
        {
            ErrorView.Problem(console, error.Message);
            return ExitCodes.Failure;
        }
    }

    private int? Refused(string dataset, string target) => DataCommandOutput.Refused(console, dataset, target, "nothing was downloaded");
}
