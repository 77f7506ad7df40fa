using Grid.Engine.Data;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Engine.Tasks;

/// <summary>
/// The data and task variants of docs/science.md §5, composable: rotation and re-labelling change the dataset once, at
/// load (<see cref="Apply"/>); translation changes each training batch (<see cref="BatchTransform"/>).
/// </summary>
public static class TaskVariants
{
    /// <summary>
    /// Rotates training and validation images (uint8 → uint8, and the mean image with them, so the mean stays
    /// the per-pixel mean of the training images) and re-labels both sets with the same mapping.
    /// </summary>
    public static DatasetSplit Apply(DatasetSplit split, TaskSpec task, long seed)
    {
        var result = split;
        if (task.RotationDegrees != 0)
        {
            var rotation = new ImageRotation(split.Train.Shape, task.RotationDegrees);
            result = new DatasetSplit(rotation.Apply(result.Train), rotation.Apply(result.Validation), rotation.Apply(result.Mean));
        }

        var mapping = Relabelling.Create(task, split.Train.ClassCount, seed);
        if (mapping is not null)
        {
            result = result with { Train = mapping.Apply(result.Train), Validation = mapping.Apply(result.Validation) };
        }

        return result;
    }

    /// <summary>
    /// The per-batch transform of the training batches, or null when there is none: with task.translate, a
    /// random periodic translation of images [B, C, H, W] whose shifts come from the batch generator (so they
    /// are reproducible from the run seed). Returns a new tensor; validation batches are never transformed.
    /// </summary>
    public static Func<Tensor, Generator, Tensor>? BatchTransform(TaskSpec task) =>
        task.Translate ? PeriodicTranslation.RandomRoll : null;

    /// <summary>Cheap check of the task fields and the mapping file against the dataset's class count.</summary>
    public static void Validate(TaskSpec task, int originalClassCount)
    {
        if (!double.IsFinite(task.RotationDegrees))
        {
            throw new ArgumentException($"task.rotation_degrees: {task.RotationDegrees} is not a finite angle", nameof(task));
        }

        _ = Relabelling.Create(task, originalClassCount, seed: 0);
    }
}
