using System.Globalization;
using Grid.Engine.Pruning;
using Grid.Engine.Specs;

namespace Grid.Engine.Sweeps;

/// <summary>Range and consistency rules for one <see cref="ExperimentSpec"/>; no file access (see <see cref="DatasetFiles"/>).</summary>
public static class ExperimentRules
{
    /// <summary>Label modes whose macro classes come from a mapping file.</summary>
    public static readonly IReadOnlyList<string> MappedLabelModes =
        [LabelModes.Semantic, LabelModes.Mixed, LabelModes.PartialSemantic];

    public static IReadOnlyList<RuleViolation> Check(ExperimentSpec spec)
    {
        var v = new List<RuleViolation>();
        CheckDataset(spec.Dataset, v);
        CheckNetwork(spec.Network, v);
        CheckTraining(spec.Training, v);
        CheckPruning(spec.Pruning, spec.Training, v);
        CheckTask(spec.Task, spec.Dataset.Name, v);
        if (spec.Seed < 0)
        {
            v.Add(new("seed", $"must be >= 0, got {spec.Seed}"));
        }

        return v;
    }

    private static void CheckDataset(DatasetSpec d, List<RuleViolation> v)
    {
        OneOf("dataset.name", d.Name, DatasetNames.All, v);
        if (!(d.Fraction > 0 && d.Fraction <= 1))
        {
            v.Add(new("dataset.fraction", $"must be in (0, 1], got {F(d.Fraction)}"));
        }

        Positive("dataset.val_size", d.ValSize, v);
        if (d.Downsample is { } factor)
        {
            if (factor < 1)
            {
                v.Add(new("dataset.downsample", $"must be >= 1, got {factor}"));
            }
            else if (DatasetNames.Shapes.TryGetValue(d.Name, out var shape) && DatasetNames.ShapeAfter(d.Name, factor) is null)
            {
                v.Add(new("dataset.downsample", $"{factor} does not divide the {shape.Height}x{shape.Width} images of {d.Name}"));
            }
        }

        if (d.Path is not null && string.IsNullOrWhiteSpace(d.Path))
        {
            v.Add(new("dataset.path", "must not be empty (omit it for the default location)"));
        }
    }

    private static void CheckNetwork(NetworkSpec n, List<RuleViolation> v)
    {
        if (n.Hidden.Count == 0)
        {
            v.Add(new("network.hidden", "must list at least one hidden layer width"));
        }

        for (int i = 0; i < n.Hidden.Count; i++)
        {
            Positive($"network.hidden[{i}]", n.Hidden[i], v);
        }

        if (n.Prune is { } prune && prune.Count != n.Hidden.Count + 1)
        {
            v.Add(new("network.prune",
                $"needs one flag per linear layer: {n.Hidden.Count + 1} (hidden layers + output), got {prune.Count}",
                ["network.hidden"]));
        }
    }

    private static void CheckTraining(TrainingSpec t, List<RuleViolation> v)
    {
        OneOf("training.optimizer", t.Optimizer, Optimizers.All, v);
        if (!(t.LearningRate > 0) || !double.IsFinite(t.LearningRate))
        {
            v.Add(new("training.learning_rate", $"must be > 0, got {F(t.LearningRate)}"));
        }

        Positive("training.batch_size", t.BatchSize, v);
        Positive("training.steps", t.Steps, v);
        if (t.ValidateEvery <= 0)
        {
            v.Add(new("training.validate_every", $"must be > 0, got {t.ValidateEvery}"));
        }
        else if (t.Steps > 0 && t.ValidateEvery > t.Steps)
        {
            v.Add(new("training.validate_every", $"must be <= training.steps ({t.Steps}), got {t.ValidateEvery}", ["training.steps"]));
        }

        if (!(t.BnDecay > 0 && t.BnDecay < 1))
        {
            v.Add(new("training.bn_decay", $"must be in (0, 1), got {F(t.BnDecay)}"));
        }

        if (t.Kernel is not null)
        {
            OneOf("training.kernel", t.Kernel, Training.Backprop.KernelKinds.All, v);
        }

        if (t.Bundle is < 1)
        {
            v.Add(new("training.bundle", $"must be auto or an integer >= 1 (1: never bundle), got {t.Bundle}"));
        }
    }

    private static void CheckPruning(PruningSpec p, TrainingSpec t, List<RuleViolation> v)
    {
        OneOf("pruning.method", p.Method, PruningStrategies.Names, v);
        if (!(p.Rate > 0 && p.Rate < 1))
        {
            v.Add(new("pruning.rate", $"must be in (0, 1), got {F(p.Rate)}"));
        }

        if (p.RewindStep < 0)
        {
            v.Add(new("pruning.rewind_step", $"must be >= 0, got {p.RewindStep}"));
        }
        else if (t.Steps > 0 && p.RewindStep >= t.Steps)
        {
            v.Add(new("pruning.rewind_step", $"must be < training.steps ({t.Steps}), got {p.RewindStep}", ["training.steps"]));
        }

        if (!(p.StopRatio >= 0 && p.StopRatio < 1))
        {
            v.Add(new("pruning.stop_ratio", $"must be in [0, 1), got {F(p.StopRatio)}"));
        }

        Positive("pruning.max_iterations", p.MaxIterations, v);
        if (!(p.TargetDensity > 0 && p.TargetDensity <= 1))
        {
            v.Add(new("pruning.target_density", $"must be in (0, 1], got {F(p.TargetDensity)}"));
        }

        Positive("pruning.snip_images", p.SnipImages, v);
        Positive("pruning.synflow_rounds", p.SynflowRounds, v);
    }

    private static void CheckTask(TaskSpec task, string dataset, List<RuleViolation> v)
    {
        OneOf("task.labels", task.Labels, LabelModes.All, v);
        if (task.Classes is { } classes && classes < 2)
        {
            v.Add(new("task.classes", $"must be >= 2, got {classes}"));
        }
        else if (task.Classes is { } k && DatasetNames.ClassCounts.TryGetValue(dataset, out int n) && k > n)
        {
            v.Add(new("task.classes", $"{k} macro classes, but {dataset} has only {n} classes to group (expected 2..{n})", ["dataset.name"]));
        }

        if (task.Labels != LabelModes.Original && LabelModes.All.Contains(task.Labels) && task.Classes is null)
        {
            v.Add(new("task.classes", $"is required when task.labels is '{task.Labels}'", ["task.labels"]));
        }

        if (MappedLabelModes.Contains(task.Labels) && string.IsNullOrWhiteSpace(task.MappingFile))
        {
            v.Add(new("task.mapping_file", $"is required when task.labels is '{task.Labels}'", ["task.labels"]));
        }

        if (!double.IsFinite(task.RotationDegrees))
        {
            v.Add(new("task.rotation_degrees", "must be a finite number"));
        }
    }

    private static void OneOf(string field, string value, IEnumerable<string> known, List<RuleViolation> v)
    {
        var names = known.ToList();
        if (!names.Contains(value, StringComparer.Ordinal))
        {
            v.Add(new(field, $"unknown value '{value}', expected one of: {string.Join(", ", names)}{Suggest.Hint(value, names)}"));
        }
    }

    private static void Positive(string field, long value, List<RuleViolation> v)
    {
        if (value <= 0)
        {
            v.Add(new(field, $"must be > 0, got {value}"));
        }
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
