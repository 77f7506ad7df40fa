using System.IO.Compression;
using Grid.Client.Rendering;
using Grid.Engine.Data;
using Grid.Engine.Specs;
using Spectre.Console;

namespace Grid.Client.Data;

/// <summary>
/// `grid data import imagenet32|imagenet64 SOURCE`: the downsampled ImageNet of image-net.org (Chrabaszcz et al. 2017),
/// as downloaded there — the batch files train_data_batch_1..10 and val_data (pickles, or the .npz versions) in SOURCE or
/// its subdirectories, or the zip archives they come in (Imagenet32_train.zip, Imagenet32_val_npz.zip, ...) — is
/// copied into a staging directory, every batch is read in full and checked (image size, labels 1..1000, label count,
/// the training mean in batch 1), and only then is it placed. Nothing is left behind when a check fails.
/// </summary>
public sealed class ImageNetImport(IAnsiConsole console)
{
    /// <summary>Images in the official downsampled ImageNet (the ILSVRC 2012 training and validation sets).</summary>
    public static readonly DatasetCounts Official = new(1_281_167, 50_000);

    public DatasetCounts Run(string dataset, string source, string target, CancellationToken cancellationToken)
    {
        int size = dataset == DatasetNames.ImageNet32 ? 32 : 64;
        var loader = new ImageNetLoader(size);
        using var staging = StagingDirectory.For(target);
        var origins = new Dictionary<string, string>(StringComparer.Ordinal); // staged file → where it came from
        var plain = ImageNetLoader.Files.ToDictionary(name => name, name => ImageNetLoader.Find(source, name));
        var missing = plain.Where(kv => kv.Value is null).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                if (missing.Count > 0)
                {
                    ExtractFromArchives(source, size, missing, staging, origins, context, cancellationToken);
                }

                if (missing.Count > 0)
                {
                    throw new DataFetchException($"{source}: no {string.Join(", ", missing.Order(StringComparer.Ordinal))} (or .npz), "
                        + $"neither as files nor in Imagenet{size}_*.zip archives; the Downsampled ImageNet {size}x{size} downloads of image-net.org "
                        + $"(Imagenet{size}_train and Imagenet{size}_val, pickles or npz) hold train_data_batch_1..10 and val_data");
                }

                foreach (var (name, file) in plain.Where(kv => kv.Value is not null))
                {
                    string staged = staging.File(Path.GetFileName(file!));
                    Copy(file!, staged, context.AddTask(Format.Escape($"copy {Path.GetFileName(file!)}"), maxValue: Math.Max(1, new FileInfo(file!).Length)), cancellationToken);
                    origins[staged] = file!;
                }
            });

        var counts = Validate(loader, staging, origins, cancellationToken);
        staging.Place();
        return counts;
    }

    /// <summary>Extracts the batches still missing from the source's Imagenet{size}_*.zip archives.</summary>
    private static void ExtractFromArchives(string source, int size, HashSet<string> missing, StagingDirectory staging,
        Dictionary<string, string> origins, ProgressContext context, CancellationToken cancellationToken)
    {
        var archives = Directory.EnumerateFiles(source, $"Imagenet{size}_*.zip", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive, RecurseSubdirectories = false })
            .Order(StringComparer.Ordinal);
        foreach (string archive in archives)
        {
            try
            {
                using var zip = ZipFile.OpenRead(archive);
                foreach (var entry in zip.Entries)
                {
                    string batch = entry.Name.EndsWith(".npz", StringComparison.Ordinal) ? entry.Name[..^4] : entry.Name;
                    if (!missing.Contains(batch))
                    {
                        continue;
                    }

                    string staged = staging.File(entry.Name);
                    var task = context.AddTask(Format.Escape($"extract {entry.Name}"), maxValue: Math.Max(1, entry.Length));
                    using (var input = entry.Open())
                    using (var output = File.Create(staged))
                    {
                        CopyStream(input, output, task, cancellationToken);
                    }

                    origins[staged] = $"{archive} ({entry.FullName})";
                    missing.Remove(batch);
                }
            }
            catch (InvalidDataException error)
            {
                throw new DataFetchException($"{archive}: not a readable zip archive ({error.Message}); nothing was kept", error);
            }
        }
    }

    /// <summary>Every staged batch read in full as a run would read it; the totals against the official counts.</summary>
    private DatasetCounts Validate(ImageNetLoader loader, StagingDirectory staging, Dictionary<string, string> origins, CancellationToken cancellationToken)
    {
        int train = 0, validation = 0;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"validating {ImageNetLoader.Files.Count} batches", maxValue: ImageNetLoader.Files.Count);
                foreach (string name in ImageNetLoader.Files)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string file = ImageNetLoader.Find(staging.Path, name)!;
                    ImageNetBatch batch;
                    try
                    {
                        batch = loader.ReadBatch(file);
                    }
                    catch (DatasetException error)
                    {
                        throw new DataFetchException($"{origins.GetValueOrDefault(file, file)}: {error.Problem}; nothing was kept", error);
                    }

                    if (name == ImageNetLoader.TrainBatchName(1) && batch.Mean is null)
                    {
                        throw new DataFetchException($"{origins.GetValueOrDefault(file, file)}: no 'mean' (the first training batch ships the per-pixel training mean); nothing was kept");
                    }

                    if (name == ImageNetLoader.ValidationName)
                    {
                        validation = batch.Count;
                    }
                    else
                    {
                        train += batch.Count;
                    }

                    task.Increment(1);
                }
            });

        var counts = new DatasetCounts(train, validation);
        if (counts != Official)
        {
            console.MarkupLine($"[yellow]note:[/] {train:N0} training and {validation:N0} validation images; the official downsampled ImageNet has {Official.Train:N0} and {Official.Validation:N0}.");
        }

        return counts;
    }

    private static void Copy(string from, string to, ProgressTask task, CancellationToken cancellationToken)
    {
        try
        {
            using var input = File.OpenRead(from);
            using var output = new FileStream(to, FileMode.CreateNew, FileAccess.Write);
            CopyStream(input, output, task, cancellationToken);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new DataFetchException($"{from}: cannot copy it: {error.Message}; nothing was kept", error);
        }
    }

    private static void CopyStream(Stream input, Stream output, ProgressTask task, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        for (int read; (read = input.Read(buffer)) > 0;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.Write(buffer, 0, read);
            task.Increment(read);
        }

        task.Value = task.MaxValue;
    }
}
