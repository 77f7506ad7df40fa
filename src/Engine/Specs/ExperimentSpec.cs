using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Grid.Engine.Pruning;

namespace Grid.Engine.Specs;

/// <summary>
/// One run of the science: data, network, training, pruning and task variant. Defaults are the paper's
/// main experiment (docs/science.md §2-3) except the dataset, which defaults to this product's embedded Fashion-MNIST.
/// Field names are snake_case in YAML/JSON (see <see cref="SpecJson"/>). Every field's [Description] (and its bounds
/// and known values) is the documentation of the field: schema/sweep.schema.json is generated from them
/// (<see cref="Sweeps.SweepSchema"/>), and a test fails when a field has none.
/// </summary>
public sealed record ExperimentSpec
{
    [Description("The images trained and validated on.")]
    public DatasetSpec Dataset { get; init; } = new();

    [Description("The fully connected network: hidden layer widths, which layers are prunable, BatchNorm.")]
    public NetworkSpec Network { get; init; } = new();

    [Description("One training run; every pruning iteration trains it again, from the rewind weights.")]
    public TrainingSpec Training { get; init; } = new();

    [Description("The pruning procedure, its rate and when it stops.")]
    public PruningSpec Pruning { get; init; } = new();

    [Description("Variants of the task: re-labelled classes, rotated or translated images.")]
    public TaskSpec Task { get; init; } = new();

    [Description("Seeds initialisation, batch sampling and every random choice of the run; a matrix axis of seeds repeats an experiment.")]
    [Range(0, long.MaxValue)]
    public long Seed { get; init; }
}

public sealed record DatasetSpec
{
    [Description("fashion-mnist (the default here: Debian's dataset-fashion-mnist), mnist, cifar10, or the paper's imagenet32 and imagenet64.")]
    [KnownNames(typeof(DatasetNames), nameof(DatasetNames.All))]
    public string Name { get; init; } = DatasetNames.FashionMnist;

    [Description("Directory holding the dataset files; omitted or null: the default for the name ($GRID_FASHION_MNIST_DIR, $GRID_MNIST_DIR, $GRID_CIFAR10_DIR, $GRID_IMAGENET32_DIR, $GRID_IMAGENET64_DIR; else <name>/ of the data directory that `grid data fetch`/`import` fill, $GRID_DATA_DIR or ~/.local/share/grid/datasets; Fashion-MNIST also /usr/share/datasets/fashion-mnist). `grid data` shows where each is found.")]
    public string? Path { get; init; }

    [Description("Train on the first fraction x N training images (the paper's data-size experiment); at least one batch of training.batch_size.")]
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double Fraction { get; init; } = 1.0;

    [Description("Validate on the first val_size images of the validation set (at most as many as it has).")]
    [Range(1, int.MaxValue)]
    public int ValSize { get; init; } = 10_000;

    /// <remarks>Left out of the canonical JSON when null, so specs written before this field keep their hashes.</remarks>
    [Description("Lower the resolution by this factor, averaging blocks of pixels (2 turns 28x28 into 14x14); it must divide the image sides. Omitted or null: the images as stored.")]
    [Range(1, int.MaxValue)]
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
    [Description("Widths of the hidden layers, input to output (the paper: 1024, 1024, 1024).")]
    [MinLength(1)]
    [Range(1, int.MaxValue)]
    public IReadOnlyList<int> Hidden { get; init; } = [1024, 1024, 1024];

    [Description("Which linear layers are prunable, one flag per layer including the output (the paper: true, true, true, false); omitted or null: every hidden layer, not the output.")]
    public IReadOnlyList<bool>? Prune { get; init; }

    [Description("BatchNorm between every hidden linear layer and its ReLU, as in the paper.")]
    public bool BatchNorm { get; init; } = true;

    public IReadOnlyList<bool> PruneFlags() =>
        Prune ?? [.. Enumerable.Repeat(true, Hidden.Count), false];
}

public sealed record TrainingSpec
{
    [Description("sgd: plain stochastic gradient descent, no momentum or weight decay (the paper's); adam: Adam with PyTorch's defaults.")]
    [KnownNames(typeof(Optimizers), nameof(Optimizers.All))]
    public string Optimizer { get; init; } = Optimizers.Sgd;

    [Description("Step size of the optimiser (the paper: 0.1 for SGD, also 0.5 and 0.02; 0.01 for Adam).")]
    [Range(0.0, double.PositiveInfinity, MinimumIsExclusive = true)]
    public double LearningRate { get; init; } = 0.1;

    [Description("Images per training step, drawn uniformly with replacement (the paper: 1000); also the batch of evaluation.")]
    [Range(1, int.MaxValue)]
    public int BatchSize { get; init; } = 1000;

    [Description("Training steps of every iteration (the paper: 100,000, about 78 epochs of ImageNet32).")]
    [Range(1, int.MaxValue)]
    public int Steps { get; init; } = 100_000;

    [Description("Steps between validation points (at most training.steps); the best point is the iteration's accuracy.")]
    [Range(1, int.MaxValue)]
    public int ValidateEvery { get; init; } = 100;

    [Description("Decay of the BatchNorm running averages used for evaluation (TensorFlow's convention); they restart with every training run.")]
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double BnDecay { get; init; } = 0.99;

    /// <remarks>Left out of the canonical JSON when null, so specs written before this field keep their hashes.</remarks>
    [Description("How layers train: auto (omitted; a cost model measured on the host picks dense or sparse per layer and iteration, where sparse is faster, also for unpruned layers such as a 10-class output layer), dense (libtorch's masked dense products everywhere) or sparse (every prunable layer with products over its unpruned weights only; CPU). Sparse and dense agree within float rounding.")]
    [KnownNames(typeof(Training.Backprop.KernelKinds), nameof(Training.Backprop.KernelKinds.All))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kernel { get; init; }

    /// <remarks>Left out of the canonical JSON when auto, so specs written before this field keep their hashes; not part
    /// of the run store's identity (<see cref="Runs.Store.RunIdentity"/>): a bundle's members train what they would alone.</remarks>
    [Description("How many iterations of different runs of this shape may train together as one batched model (fused training): auto (omitted; on GPU slots as many as a measurement on the host finds worth it, and a cost model trains an iteration alone where its sparse kernels beat the bundle; on CPU slots 1, unless the silo sets Grid:AutoBundlesOnCpu) or an integer K >= 1 (bundles of up to K on any device; 1: never bundle). A member of a bundle trains dense and matches its solo training within float rounding.")]
    [Range(1, int.MaxValue)]
    [JsonConverter(typeof(AutoOrIntegerConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Bundle { get; init; }
}

public static class Optimizers
{
    public const string Sgd = "sgd";
    public const string Adam = "adam";
    public static readonly IReadOnlyList<string> All = [Sgd, Adam];
}

public sealed record PruningSpec
{
    [Description("The pruning procedure: imp (layer-wise iterative magnitude pruning, the paper's), imp-global (one threshold over all prunable layers), one-shot, snip, synflow, random, progressive (layer by layer, for deep networks).")]
    [KnownNames(typeof(PruningStrategies), nameof(PruningStrategies.Names))]
    public string Method { get; init; } = "imp";

    [Description("Fraction of the remaining weights pruned per iteration (IMP: after n iterations u = (1 - rate)^n; the paper: 0.3, also 0.2).")]
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double Rate { get; init; } = 0.3;

    [Description("Step of iteration 0 whose weights every later iteration starts from (less than training.steps; 0: the initial weights; the paper: 1000).")]
    [Range(0, int.MaxValue)]
    public int RewindStep { get; init; } = 1000;

    [Description("Stop once some prunable layer has at most this fraction of its nodes with an incoming weight (the paper: 0.2).")]
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double StopRatio { get; init; } = 0.2;

    [Description("Most pruning iterations after the dense one (iteration 0); the run also stops at stop_ratio.")]
    [Range(1, int.MaxValue)]
    public int MaxIterations { get; init; } = 40;

    [Description("Unpruned fraction that one-shot, SNIP, SynFlow and random pruning reach in one go.")]
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double TargetDensity { get; init; } = 0.1;

    [Description("Training images SNIP's saliency is computed on (the paper: 10,000).")]
    [Range(1, int.MaxValue)]
    public int SnipImages { get; init; } = 10_000;

    [Description("Pruning rounds of SynFlow's exponential schedule (the paper: 100).")]
    [Range(1, int.MaxValue)]
    public int SynflowRounds { get; init; } = 100;
}

public sealed record TaskSpec
{
    [Description("original: the dataset's classes; or task.classes macro classes: random (label mod k), semantic (a mapping file), mixed (half the macro classes semantic, the rest random), partial-semantic (each macro class half semantic, half random).")]
    [KnownNames(typeof(LabelModes), nameof(LabelModes.All))]
    public string Labels { get; init; } = LabelModes.Original;

    [Description("Number k of macro classes of a re-labelled task (required unless labels is original; at most the dataset's classes).")]
    [Range(2, int.MaxValue)]
    public int? Classes { get; init; }

    [Description("Class to macro class mapping of the semantic, mixed and partial-semantic tasks: one line of comma-separated macro ids, or rows 'wnid index macro name' (see experiments/mappings/). Relative to the working directory.")]
    public string? MappingFile { get; init; }

    [Description("Counter-clockwise rotation of every image in degrees, cropped back to its size (the paper: 20; 0: none).")]
    public double RotationDegrees { get; init; }

    [Description("Roll every training image by its own random periodic translation each time a batch is drawn (validation images are not moved).")]
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
