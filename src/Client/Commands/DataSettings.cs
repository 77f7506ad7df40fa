using System.ComponentModel;
using Grid.Client.Data;
using Grid.Engine.Specs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

public sealed class DataFetchSettings : CommandSettings
{
    [CommandArgument(0, "<DATASET>")]
    [Description("mnist, fashion-mnist or cifar10.")]
    public string Dataset { get; init; } = "";

    [CommandOption("--mirror <URL>")]
    [Description("Download from this address instead of the publishers' (the file names are appended to it).")]
    public string? Mirror { get; init; }

    [CommandOption("--dir <DIR>")]
    [Description("Put the dataset here (default: the directory $GRID_<NAME>_DIR names, else <name>/ of the data directory, $GRID_DATA_DIR or ~/.local/share/grid/datasets).")]
    public string? Directory { get; init; }

    [CommandOption("--checksums <FILE>")]
    [Description("MD5s in md5sum's format for a mirror that serves other bytes than the publishers' (e.g. recompressed); they replace the pinned MD5s of the files they list.")]
    public string? Checksums { get; init; }

    public override ValidationResult Validate()
    {
        if (!DatasetDownloads.All.ContainsKey(Dataset))
        {
            return ValidationResult.Error(DatasetNames.IsImageNet(Dataset)
                ? $"'{Dataset}': downsampled ImageNet needs an image-net.org account; download it there, then `grid data import {Dataset} DIR`"
                : $"'{Dataset}': expected one of {string.Join(", ", DatasetDownloads.All.Keys)}");
        }

        if (Mirror is not null && (!Uri.TryCreate(Mirror, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            return ValidationResult.Error($"--mirror '{Mirror}': expected an http:// or https:// address");
        }

        return ValidationResult.Success();
    }
}

public sealed class DataImportSettings : CommandSettings
{
    [CommandArgument(0, "<DATASET>")]
    [Description("imagenet32 or imagenet64.")]
    public string Dataset { get; init; } = "";

    [CommandArgument(1, "<SOURCE>")]
    [Description("Directory with the downloads of image-net.org: train_data_batch_1..10 and val_data (pickles or .npz), here or in subdirectories, or the Imagenet32_*.zip / Imagenet64_*.zip archives themselves.")]
    public string Source { get; init; } = "";

    [CommandOption("--dir <DIR>")]
    [Description("Put the dataset here (default: the directory $GRID_IMAGENET32_DIR / $GRID_IMAGENET64_DIR names, else <name>/ of the data directory, $GRID_DATA_DIR or ~/.local/share/grid/datasets).")]
    public string? Directory { get; init; }

    public override ValidationResult Validate()
    {
        if (!DatasetNames.IsImageNet(Dataset))
        {
            return ValidationResult.Error(DatasetDownloads.All.ContainsKey(Dataset)
                ? $"'{Dataset}': import takes imagenet32 or imagenet64; `grid data fetch {Dataset}` downloads {Dataset}"
                : $"'{Dataset}': expected imagenet32 or imagenet64");
        }

        if (!System.IO.Directory.Exists(Source))
        {
            return ValidationResult.Error($"'{Source}': no such directory (give the directory holding the downloads of image-net.org)");
        }

        return ValidationResult.Success();
    }
}
