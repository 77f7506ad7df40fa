using System.Text.Json.Serialization;

namespace Grid.Engine.Specs;

/// <summary>
/// One run of the science: data, network, training, pruning and task variant. Defaults are the paper's
/// main experiment (SPEC §2-3) except the dataset, which defaults to this product's embedded Fashion-MNIST.
/// Field names are snake_case in YAML/JSON (see <see cref="SpecJson"/>).
/// </summary>
public sealed record ExperimentSpec
{
    public DatasetSpec Dataset { get; init; } = new();
    public NetworkSpec Network { get; init; } = new();
    public TrainingSpec Training { get; init; } = new();
    public PruningSpec Pruning { get; init; } = new();
    public TaskSpec Task { get; init; } = new();

    /// <summary>Seeds initialisation, batch sampling and every random choice of the run.</summary>
    public long Seed { get; init; }
}

public sealed record DatasetSpec
{
    /// <summary>fashion-mnist | mnist | cifar10 | imagenet32 | imagenet64.</summary>
    public string Name { get; init; } = DatasetNames.FashionMnist;

    /// <summary>Directory holding the dataset files; null = the documented default for <see cref="Name"/>.</summary>
    public string? Path { get; init; }

    /// <summary>Use the first fraction·N training images (SPEC §5).</summary>
    public double Fraction { get; init; } = 1.0;

    /// <summary>Validate on the first val_size images of the validation set.</summary>
    public int ValSize { get; init; } = 10_000;

    /// <summary>Lower the resolution by this factor (block averaging, e.g. 2: 28x28 → 14x14); null = the images as
    /// stored. Left out of the canonical JSON when null, so specs written before this field keep their hashes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Downsample { get; init; }
}

public static class DatasetNames
{
    public const string FashionMnist = "fashion-mnist";
    public const string Mnist = "mnist";
    public const string Cifar10 = "cifar10";
    public const string ImageNet32 = "imagenet32";
    public const string ImageNet64 = "imagenet64";

    public static readonly IReadOnlyList<string> All = [FashionMnist, Mnist, Cifar10, ImageNet32, ImageNet64];

    /// <summary>The downsampled ImageNet datasets: tens of GB, read from disk batch by batch rather than held in memory
    /// like the CPU-scale ones.</summary>
    public static bool IsImageNet(string name) => name is ImageNet32 or ImageNet64;

    /// <summary>Channels, height and width of a known dataset's images after <c>dataset.downsample</c>; null for an
    /// unknown dataset or a factor below 1 or not dividing both sides.</summary>
    public static (int Channels, int Height, int Width)? ShapeAfter(string name, int? downsample)
    {
        int factor = downsample ?? 1;
        return Shapes.TryGetValue(name, out var stored) && factor >= 1 && stored.Height % factor == 0 && stored.Width % factor == 0
            ? (stored.Channels, stored.Height / factor, stored.Width / factor)
            : null;
    }

    /// <summary>Number of classes of each dataset (the range of its labels, 0-based once loaded).</summary>
    public static readonly IReadOnlyDictionary<string, int> ClassCounts = new Dictionary<string, int>
    {
        [FashionMnist] = 10,
        [Mnist] = 10,
        [Cifar10] = 10,
        [ImageNet32] = 1000,
        [ImageNet64] = 1000,
    };

    /// <summary>Channels, height and width of each dataset's images as stored.</summary>
    public static readonly IReadOnlyDictionary<string, (int Channels, int Height, int Width)> Shapes =
        new Dictionary<string, (int, int, int)>
        {
            [FashionMnist] = (1, 28, 28),
            [Mnist] = (1, 28, 28),
            [Cifar10] = (3, 32, 32),
            [ImageNet32] = (3, 32, 32),
            [ImageNet64] = (3, 64, 64),
        };
}

public sealed record NetworkSpec
{
    /// <summary>Widths of the hidden layers, input to output.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [1024, 1024, 1024];

    /// <summary>Which layers are prunable, one flag per linear layer including the output (paper: T:T:T:F).
    /// Null = every hidden layer prunable, output not.</summary>
    public IReadOnlyList<bool>? Prune { get; init; }

    public bool BatchNorm { get; init; } = true;

    public IReadOnlyList<bool> PruneFlags() =>
        Prune ?? [.. Enumerable.Repeat(true, Hidden.Count), false];
}

public sealed record TrainingSpec
{
    /// <summary>sgd | adam.</summary>
    public string Optimizer { get; init; } = Optimizers.Sgd;
    public double LearningRate { get; init; } = 0.1;
    public int BatchSize { get; init; } = 1000;
    public int Steps { get; init; } = 100_000;
    public int ValidateEvery { get; init; } = 100;

    /// <summary>Decay of the BatchNorm running averages used for evaluation (TF convention).</summary>
    public double BnDecay { get; init; } = 0.99;

    /// <summary>How pruned layers train: auto (null; the host's measured cost model picks dense or sparse per layer and
    /// iteration), dense (masked dense products) or sparse (products over the unpruned weights only; CPU). Left out of the
    /// canonical JSON when null, so specs written before this field keep their hashes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kernel { get; init; }
}

public static class Optimizers
{
    public const string Sgd = "sgd";
    public const string Adam = "adam";
    public static readonly IReadOnlyList<string> All = [Sgd, Adam];
}

public sealed record PruningSpec
{
    /// <summary>A registered pruning procedure: imp | imp-global | one-shot | snip | synflow | random | progressive.</summary>
    public string Method { get; init; } = "imp";

    /// <summary>Fraction of the remaining weights pruned per IMP iteration.</summary>
    public double Rate { get; init; } = 0.3;

    /// <summary>Step of iteration 0 whose weights later iterations start from.</summary>
    public int RewindStep { get; init; } = 1000;

    /// <summary>Stop when in some prunable layer at most this fraction of nodes keeps an incoming weight.</summary>
    public double StopRatio { get; init; } = 0.2;

    public int MaxIterations { get; init; } = 40;

    /// <summary>Unpruned fraction to reach for one-shot, SNIP, SynFlow and random pruning.</summary>
    public double TargetDensity { get; init; } = 0.1;

    /// <summary>Training images SNIP's saliency is computed on.</summary>
    public int SnipImages { get; init; } = 10_000;

    /// <summary>Pruning rounds of SynFlow's exponential schedule.</summary>
    public int SynflowRounds { get; init; } = 100;
}

public sealed record TaskSpec
{
    /// <summary>original | random | semantic | mixed | partial-semantic.</summary>
    public string Labels { get; init; } = LabelModes.Original;

    /// <summary>Number k of macro classes for re-labelled tasks.</summary>
    public int? Classes { get; init; }

    /// <summary>Class → macro class mapping file for semantic tasks.</summary>
    public string? MappingFile { get; init; }

    /// <summary>Counter-clockwise rotation of every image, in degrees (0 = none).</summary>
    public double RotationDegrees { get; init; }

    /// <summary>Roll every training image by a random periodic translation at each batch.</summary>
    public bool Translate { get; init; }
}

public static class LabelModes
{
    public const string Original = "original";
    public const string Random = "random";
    public const string Semantic = "semantic";
    public const string Mixed = "mixed";
    public const string PartialSemantic = "partial-semantic";
    public static readonly IReadOnlyList<string> All = [Original, Random, Semantic, Mixed, PartialSemantic];
}
