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
            $"in {Inputs(spec.Dataset)}",
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

    private static string Inputs(DatasetSpec dataset) =>
        DatasetNames.ShapeAfter(dataset.Name, dataset.Downsample) is { } shape
            ? (shape.Channels * shape.Height * shape.Width).ToString(CultureInfo.InvariantCulture)
            : $"{dataset.Name}/{dataset.Downsample}";

    private static string Classes(ExperimentSpec spec)
    {
        if (spec.Task.Labels != LabelModes.Original)
        {
            // a semantic mapping without task.classes has as many as its file names
            return spec.Task.Classes is { } k ? k.ToString(CultureInfo.InvariantCulture) : $"{spec.Task.Labels} {spec.Task.MappingFile}";
        }

        return DatasetNames.ClassCounts.TryGetValue(spec.Dataset.Name, out int classes) ? classes.ToString(CultureInfo.InvariantCulture) : spec.Dataset.Name;
    }
}
