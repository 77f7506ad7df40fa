using System.Formats.Tar;
using System.IO.Compression;
using Grid.Client.Rendering;
using Grid.Engine.Data;
using Spectre.Console;

namespace Grid.Client.Data;

/// <summary>
/// `grid data fetch`: downloads a dataset's files into a staging directory (trying each mirror in turn), checks each
/// against its expected MD5, unpacks them, validates the result with the dataset's own loader, and only then moves it
/// into place. Any failure (or Ctrl-C) leaves the target as it was and removes the staging directory.
/// </summary>
public sealed class DatasetFetch(IAnsiConsole console, HttpClient http)
{
    /// <summary>How long a download may deliver nothing before it is given up.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    /// <param name="expected">MD5 by file name (the pinned ones, or those of --checksums).</param>
    /// <param name="expectedSource">Where <paramref name="expected"/> comes from, for messages.</param>
    /// <returns>The image counts of the placed dataset.</returns>
    public async Task<DatasetCounts?> RunAsync(DatasetDownload download, IReadOnlyList<string> mirrors, IReadOnlyDictionary<string, string> expected,
        string expectedSource, string target, CancellationToken cancellationToken)
    {
        using var staging = StagingDirectory.For(target);
        var downloader = new FileDownloader(http, IdleTimeout);
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                foreach (var file in download.Files)
                {
                    var task = context.AddTask(Format.Escape(file.Name), maxValue: 1);
                    await DownloadAsync(downloader, file.Name, mirrors, expected[file.Name], expectedSource, staging, task, cancellationToken);
                    task.StopTask();
                }
            });

        console.MarkupLine($"[grey]MD5 of every file matches {Format.Escape(expectedSource)}; unpacking...[/]");
        await UnpackAsync(download, staging, cancellationToken);
        DatasetCounts? counts;
        try
        {
            counts = DatasetCatalog.Source(download.Dataset).Validate(staging.Path);
        }
        catch (DatasetException error)
        {
            throw new DataFetchException($"the downloaded files are not a valid {download.Dataset}: {error.Problem} ({Path.GetRelativePath(staging.Path, error.File)}); nothing was kept", error);
        }

        staging.Place();
        return counts;
    }

    /// <summary>One file from the first mirror that serves it with the expected MD5; every mirror's problem otherwise.</summary>
    private static async Task DownloadAsync(FileDownloader downloader, string name, IReadOnlyList<string> mirrors, string md5, string md5Source,
        StagingDirectory staging, ProgressTask task, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        string path = staging.File(name);
        foreach (string mirror in mirrors)
        {
            var address = new Uri(new Uri(mirror.EndsWith('/') ? mirror : mirror + "/"), name);
            task.Description = Format.Escape($"{name} ({address.Host})");
            try
            {
                string actual = await downloader.DownloadAsync(address, path, task, cancellationToken);
                if (actual == md5)
                {
                    return;
                }

                problems.Add($"{address}: MD5 {actual}, expected {md5} ({md5Source}): the download is corrupt or not the published file");
            }
            catch (DataFetchException error)
            {
                problems.Add(error.Message);
            }

            File.Delete(path);
        }

        throw new DataFetchException(problems.Count == 1
            ? $"{name}: {problems[0]}; nothing was kept"
            : $"{name}: no mirror served it intact ({string.Join("; ", problems)}); nothing was kept");
    }

    private static async Task UnpackAsync(DatasetDownload download, StagingDirectory staging, CancellationToken cancellationToken)
    {
        foreach (var file in download.Files)
        {
            string archive = staging.File(file.Name);
            try
            {
                await using (var input = File.OpenRead(archive))
                await using (var gzip = new GZipStream(input, CompressionMode.Decompress))
                {
                    if (download.Unpacking == Unpacking.Gunzip)
                    {
                        await using var output = File.Create(staging.File(Path.GetFileNameWithoutExtension(file.Name)));
                        await gzip.CopyToAsync(output, cancellationToken);
                    }
                    else
                    {
                        await TarFile.ExtractToDirectoryAsync(gzip, staging.Path, overwriteFiles: false, cancellationToken);
                    }
                }

                File.Delete(archive);
            }
            catch (Exception error) when (error is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new DataFetchException($"{file.Name}: cannot unpack it: {error.Message}; nothing was kept", error);
            }
        }
    }
}
