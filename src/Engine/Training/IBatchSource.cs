using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>Normalised batches on the training device: images [B, n0] float32, labels [B] int64.</summary>
public interface IBatchSource
{
    int Inputs { get; }
    int Classes { get; }

    /// <summary>A batch drawn uniformly with replacement from the training set.</summary>
    (Tensor Images, Tensor Labels) TrainBatch(int batchSize, Generator generator);

    /// <summary><see cref="TrainBatch"/> as a <see cref="DrawnBatch"/>: the same draw, whose images a source may leave
    /// to be normalised where they are used.</summary>
    DrawnBatch DrawTrainBatch(int batchSize, Generator generator)
    {
        var (images, labels) = TrainBatch(batchSize, generator);
        return DrawnBatch.Of(images, labels);
    }

    /// <summary>The validation set in order, in batches.</summary>
    IEnumerable<(Tensor Images, Tensor Labels)> ValidationBatches(int batchSize);
}
