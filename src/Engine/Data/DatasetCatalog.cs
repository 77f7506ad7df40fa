using System.Collections.Concurrent;
using Grid.Engine.Specs;

namespace Grid.Engine.Data;

/// <summary>
/// Resolves a <see cref="DatasetSpec"/> to images. The directory is spec.Path, else the dataset's
/// environment variable (GRID_FASHION_MNIST_DIR, GRID_MNIST_DIR, GRID_CIFAR10_DIR, GRID_IMAGENET32_DIR,
/// GRID_IMAGENET64_DIR), else for Fashion-MNIST /usr/share/datasets/fashion-mnist (Debian package
/// dataset-fashion-mnist). Full splits are cached per process, keyed by dataset name, directory and downsampling, because
/// many runs in one process share their data; the fraction and val_size are then applied with
/// <see cref="ImageDataset.Take"/>, which shares the cached storage.
/// </summary>
public static class DatasetCatalog
{
    public const string FashionMnistDefaultDirectory = "/usr/share/datasets/fashion-mnist";

    private static readonly ConcurrentDictionary<string, Lazy<DatasetSplit>> Cache = new(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, DatasetSource> Sources { get; } = new Dictionary<string, DatasetSource>
    {
        [DatasetNames.FashionMnist] = new(DatasetNames.FashionMnist, "GRID_FASHION_MNIST_DIR", FashionMnistDefaultDirectory,
            "apt-get install dataset-fashion-mnist", IdxLoader.Load, IdxLoader.Validate),
        [DatasetNames.Mnist] = new(DatasetNames.Mnist, "GRID_MNIST_DIR", null, null, IdxLoader.Load, IdxLoader.Validate),
        [DatasetNames.Cifar10] = new(DatasetNames.Cifar10, "GRID_CIFAR10_DIR", null, null, Cifar10Loader.Load, Cifar10Loader.Validate),
        [DatasetNames.ImageNet32] = new(DatasetNames.ImageNet32, "GRID_IMAGENET32_DIR", null, null,
            dir => new ImageNetLoader(32).Load(dir), dir => new ImageNetLoader(32).Validate(dir)),
        [DatasetNames.ImageNet64] = new(DatasetNames.ImageNet64, "GRID_IMAGENET64_DIR", null, null,
            dir => new ImageNetLoader(64).Load(dir), dir => new ImageNetLoader(64).Validate(dir)),
    };

    /// <summary>
    /// Training = the first floor(fraction·N) training images (at least 1), validation = the first val_size
    /// validation images (all of them when val_size exceeds the count), mean = the per-pixel mean of the full
    /// training set (ImageNet: the shipped one). A sweep never reaches the two fallbacks: its checks refuse a
    /// fraction that leaves less than one batch and a val_size beyond the validation set (Sweeps.DatasetFiles).
    /// </summary>
    public static DatasetSplit Load(DatasetSpec spec)
    {
        CheckFields(spec);
        var source = Source(spec.Name);
        string directory = ResolveDirectory(spec);
        var full = LoadFull(source, directory, spec.Downsample ?? 1);
        return new DatasetSplit(
            full.Train.Take(TrainingCount(full.Train.Count, spec.Fraction)),
            full.Validation.Take(spec.ValSize),
            full.Mean);
    }

    /// <summary>Cheap check for spec validation before a sweep starts (files exist, headers and sizes right, labels in
    /// the class range where the labels can be read without the images). Returns the image counts when known.</summary>
    public static DatasetCounts? Validate(DatasetSpec spec)
    {
        CheckFields(spec);
        var source = Source(spec.Name);
        string directory = ResolveDirectory(spec);
        return source.Validate(directory);
    }

    /// <summary>floor(fraction·total) as python's int(f*N) computes it, but at least 1.</summary>
    public static int TrainingCount(int total, double fraction) =>
        Math.Clamp((int)Math.Floor(fraction * total), Math.Min(1, total), total);

    /// <summary>The dataset directory (see the class summary); a missing one is a <see cref="DatasetException"/> saying how to set it.</summary>
    public static string ResolveDirectory(DatasetSpec spec)
    {
        var source = Source(spec.Name);
        string? environment = Environment.GetEnvironmentVariable(source.EnvironmentVariable);
        string? directory = !string.IsNullOrWhiteSpace(spec.Path) ? spec.Path
            : !string.IsNullOrWhiteSpace(environment) ? environment
            : source.DefaultDirectory;
        string howToSet = $"set dataset.path in the spec or the {source.EnvironmentVariable} environment variable"
            + (source.InstallHint is null ? "" : $", or run `{source.InstallHint}`");
        if (directory is null)
        {
            throw new DatasetException(spec.Name, $"no dataset directory given; {howToSet}");
        }

        directory = Path.GetFullPath(directory);
        if (!Directory.Exists(directory))
        {
            throw new DatasetException(directory, $"{spec.Name} directory not found; {howToSet}");
        }

        return directory;
    }

    public static DatasetSource Source(string name) =>
        Sources.GetValueOrDefault(name) ?? throw new DatasetException(name, $"unknown dataset; expected one of {string.Join(", ", Sources.Keys)}");

    /// <summary>Forgets cached datasets (tests, or to release memory).</summary>
    public static void ClearCache() => Cache.Clear();

    private static DatasetSplit LoadFull(DatasetSource source, string directory, int downsample)
    {
        string key = $"{source.Name}\n{directory}\n{downsample}";
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<DatasetSplit>(
            () => downsample == 1 ? source.LoadFull(directory) : ImageDownsampling.Apply(LoadFull(source, directory, 1), downsample),
            LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Cache.TryRemove(new KeyValuePair<string, Lazy<DatasetSplit>>(key, lazy));
            throw;
        }
    }

    private static void CheckFields(DatasetSpec spec)
    {
        if (!(spec.Fraction > 0 && spec.Fraction <= 1))
        {
            throw new ArgumentException($"dataset.fraction: {spec.Fraction} is outside (0, 1]", nameof(spec));
        }

        if (spec.ValSize < 1)
        {
            throw new ArgumentException($"dataset.val_size: {spec.ValSize} must be at least 1", nameof(spec));
        }

        if (spec.Downsample is < 1)
        {
            throw new ArgumentException($"dataset.downsample: {spec.Downsample} must be at least 1", nameof(spec));
        }
    }
}
