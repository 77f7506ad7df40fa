using System.Globalization;
using Grid.Engine.Specs;

namespace Grid.Engine.Training.Bundles;

/// <summary>
/// Which iterations may train in one bundle, from their specs alone (no dataset read): everything
/// <see cref="BundleCompatibility.Check"/> and <see cref="Model.BundledMlp.Bundle"/> require to be shared. The layer
/// widths from the data's input size (the dataset's image shape after <c>dataset.downsample</c>), the hidden widths and
/// the class count (the dataset's, or <c>task.classes</c> of a relabelled task), BatchNorm, batch size, steps,
/// validate_every, optimizer, learning rate and BN decay. Seeds, data fractions, tasks that keep the class count,
/// image transforms, pruning methods and masks may differ.
/// </summary>
public static class BundleShape
{
    /// <summary>Equal keys ⇔ the iterations may share a bundle.</summary>
    public static string Key(ExperimentSpec spec)
    {
        var training = spec.Training;
        return string.Join('|',
            $"in {Inputs(spec)}",
            $"hidden {string.Join('-', spec.Network.Hidden)}",
            $"classes {Classes(spec)}",
            $"bn {spec.Network.BatchNorm}",
            $"batch {training.BatchSize}",
            $"steps {training.Steps}",
            $"validate {training.ValidateEvery}",
            training.Optimizer,
            $"lr {training.LearningRate.ToString("R", CultureInfo.InvariantCulture)}",
            $"bn_decay {training.BnDecay.ToString("R", CultureInfo.InvariantCulture)}");
    }

    /// <summary>The data's input size and class count as the spec says them (the dataset's image shape after
    /// <c>dataset.downsample</c>; the dataset's classes, or <c>task.classes</c> of a relabelled task), each null where
    /// only the data would tell.</summary>
    public static (int? Inputs, int? Classes) Layout(ExperimentSpec spec)
    {
        int? inputs = DatasetNames.ShapeAfter(spec.Dataset.Name, spec.Dataset.Downsample) is { } shape ? shape.Channels * shape.Height * shape.Width : null;
        int? classes = spec.Task.Labels != LabelModes.Original
            ? spec.Task.Classes
            : DatasetNames.ClassCounts.TryGetValue(spec.Dataset.Name, out int count) ? count : null;
        return (inputs, classes);
    }

    private static string Inputs(ExperimentSpec spec) =>
        Layout(spec).Inputs?.ToString(CultureInfo.InvariantCulture) ?? $"{spec.Dataset.Name}/{spec.Dataset.Downsample}";

    // a semantic mapping without task.classes has as many as its file names
    private static string Classes(ExperimentSpec spec) =>
        Layout(spec).Classes?.ToString(CultureInfo.InvariantCulture)
        ?? (spec.Task.Labels != LabelModes.Original ? $"{spec.Task.Labels} {spec.Task.MappingFile}" : spec.Dataset.Name);
}
