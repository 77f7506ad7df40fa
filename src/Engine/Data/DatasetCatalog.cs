using System.Collections.Concurrent;
using Grid.Engine.Specs;

namespace Grid.Engine.Data;

/// <summary>
/// Resolves a <see cref="DatasetSpec"/> to images. The directory is spec.Path, else the dataset's environment variable
/// (GRID_FASHION_MNIST_DIR, GRID_MNIST_DIR, GRID_CIFAR10_DIR, GRID_IMAGENET32_DIR, GRID_IMAGENET64_DIR), else its
/// subdirectory of the machine's <see cref="DataDirectory"/> (where `grid data fetch` and `grid data import` put it),
/// else for Fashion-MNIST /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist). Full splits are
/// cached per process, keyed by dataset name, directory and downsampling, because many runs in one process share their
/// data; the fraction and val_size are then applied with <see cref="ImageDataset.Take"/>, which shares the cached storage.
/// </summary>
public static class DatasetCatalog
{
    public const string FashionMnistDefaultDirectory = "/usr/share/datasets/fashion-mnist";

    private static readonly ConcurrentDictionary<string, Lazy<DatasetSplit>> Cache = new(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, DatasetSource> Sources { get; } = new Dictionary<string, DatasetSource>
    {
        [DatasetNames.FashionMnist] = new(DatasetNames.FashionMnist, "GRID_FASHION_MNIST_DIR", FashionMnistDefaultDirectory,
            ["grid data fetch fashion-mnist", "apt-get install dataset-fashion-mnist"], IdxLoader.FileNames, IdxLoader.Load, IdxLoader.Validate),
        [DatasetNames.Mnist] = new(DatasetNames.Mnist, "GRID_MNIST_DIR", null,
            ["grid data fetch mnist"], IdxLoader.FileNames, IdxLoader.Load, IdxLoader.Validate),
        [DatasetNames.Cifar10] = new(DatasetNames.Cifar10, "GRID_CIFAR10_DIR", null,
            ["grid data fetch cifar10"], Cifar10Loader.FileNames, Cifar10Loader.Load, Cifar10Loader.Validate),
        [DatasetNames.ImageNet32] = new(DatasetNames.ImageNet32, "GRID_IMAGENET32_DIR", null,
            ["grid data import imagenet32 DIR"], ImageNetLoader.FileNames, dir => new ImageNetLoader(32).Load(dir), dir => new ImageNetLoader(32).Validate(dir)),
        [DatasetNames.ImageNet64] = new(DatasetNames.ImageNet64, "GRID_IMAGENET64_DIR", null,
            ["grid data import imagenet64 DIR"], ImageNetLoader.FileNames, dir => new ImageNetLoader(64).Load(dir), dir => new ImageNetLoader(64).Validate(dir)),
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
    /// the class range where the labels can be read without the images). Returns the image counts when known. A dataset
    /// that is not on this machine at all is a <see cref="DatasetAbsentException"/>.</summary>
    public static DatasetCounts? Validate(DatasetSpec spec)
    {
        CheckFields(spec);
        var source = Source(spec.Name);
        var location = Locate(spec.Name, spec.Path);
        string directory = Existing(location, source);
        if (!source.HasAnyFile(directory))
        {
            throw new DatasetAbsentException(directory,
                $"holds none of the {spec.Name} files (such as {source.FileNames[0]}); {HowToGive(source)}",
                location);
        }

        return source.Validate(directory);
    }

    /// <summary>floor(fraction·total) as python's int(f*N) computes it, but at least 1.</summary>
    public static int TrainingCount(int total, double fraction) =>
        Math.Clamp((int)Math.Floor(fraction * total), Math.Min(1, total), total);

    /// <summary>
    /// Where the dataset is looked for on this machine (see the class summary): an explicit directory (dataset.path,
    /// then the dataset's variable) as given, else the first default place that holds some of its files, else the
    /// first that exists, else the data directory's.
    /// </summary>
    public static DatasetLocation Locate(string name, string? path = null)
    {
        var source = Source(name);
        if (!string.IsNullOrWhiteSpace(path))
        {
            string given = Path.GetFullPath(path);
            return new DatasetLocation(name, given, DatasetLocation.SpecPath, [given]);
        }

        string? environment = Environment.GetEnvironmentVariable(source.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(environment))
        {
            string given = Path.GetFullPath(environment);
            return new DatasetLocation(name, given, "$" + source.EnvironmentVariable, [given]);
        }

        var candidates = new List<(string Directory, string Origin)> { (DataDirectory.For(name), DatasetLocation.DataDirectoryOrigin) };
        if (source.DefaultDirectory is { } system)
        {
            candidates.Add((system, DatasetLocation.SystemDefaultOrigin));
        }

        var chosen = candidates.FirstOrDefault(c => source.HasAnyFile(c.Directory));
        if (chosen.Directory is null)
        {
            chosen = candidates.FirstOrDefault(c => Directory.Exists(c.Directory));
        }

        if (chosen.Directory is null)
        {
            chosen = candidates[0];
        }

        return new DatasetLocation(name, chosen.Directory, chosen.Origin, [.. candidates.Select(c => c.Directory)]);
    }

    /// <summary>The dataset directory (see <see cref="Locate"/>); a missing one is a <see cref="DatasetAbsentException"/>
    /// saying where it was looked for and how to give one.</summary>
    public static string ResolveDirectory(DatasetSpec spec) => Existing(Locate(spec.Name, spec.Path), Source(spec.Name));

    private static string Existing(DatasetLocation location, DatasetSource source) =>
        location.Exists ? location.Directory
        : throw (location.IsExplicit
            ? new DatasetAbsentException(location.Directory, $"{location.Name} directory not found (given by {location.Origin}); {HowToGive(source)}", location)
            : new DatasetAbsentException(location.Name, $"not found in {string.Join(" or ", location.Considered)}; {HowToGive(source)}", location));

    private static string HowToGive(DatasetSource source) =>
        $"set dataset.path in the spec or the {source.EnvironmentVariable} environment variable"
        + (source.GetHints.Count == 0 ? "" : $", or {source.HowToGet}");

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
