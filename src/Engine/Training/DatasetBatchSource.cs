using Grid.Engine.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>
/// Training and validation batches of a uint8 <see cref="DatasetSplit"/> on the training device, built by
/// <see cref="BatchBuilder"/>; training indices drawn with replacement from the run's generator.
/// </summary>
public sealed class DatasetBatchSource : IBatchSource, IDisposable
{
    private readonly DatasetSplit _split;
    private readonly Device _device;
    private readonly Func<Tensor, Generator, Tensor>? _transform;
    private BatchBuilder? _train;
    private BatchBuilder? _validation;

    /// <param name="transform">Optional per-batch transform of training images [B, C, H, W] (e.g. random translation).</param>
    public DatasetBatchSource(DatasetSplit split, Device device, Func<Tensor, Generator, Tensor>? transform)
    {
        _split = split;
        _device = device;
        _transform = transform;
    }

    public int Inputs => _split.Train.Shape.Features;
    public int Classes => _split.Train.ClassCount;

    public (Tensor Images, Tensor Labels) TrainBatch(int batchSize, Generator generator)
    {
        var (builder, indices) = DrawIndices(batchSize, generator);
        var (images, labels) = builder.Gather(indices);
        if (_transform is null)
        {
            return (images, labels);
        }

        var shape = _split.Train.Shape;
        using (images)
        {
            using var transformed = _transform(images.view(batchSize, shape.Channels, shape.Height, shape.Width), generator);
            return (transformed.reshape(batchSize, -1), labels);
        }
    }

    /// <summary>On the CPU and without a transform the images are left to be normalised where they are used (a sparse
    /// first layer packs them straight from the dataset's bytes); the draw is <see cref="TrainBatch"/>'s.</summary>
    public DrawnBatch DrawTrainBatch(int batchSize, Generator generator)
    {
        if (_transform is not null || _device.type != DeviceType.CPU)
        {
            var (images, labels) = TrainBatch(batchSize, generator);
            return DrawnBatch.Of(images, labels);
        }

        var (builder, indices) = DrawIndices(batchSize, generator);
        return DrawnBatch.Deferred(builder, indices, builder.Labels(indices));
    }

    /// <summary>The training builder, fitted to the batch size, and the batch's indices drawn from the run's generator.</summary>
    private (BatchBuilder Builder, int[] Indices) DrawIndices(int batchSize, Generator generator)
    {
        _train = Fit(_train, _split.Train, batchSize);
        return (_train, BatchSampler.SampleWithReplacement(generator, batchSize, _split.Train.Count));
    }

    public IEnumerable<(Tensor Images, Tensor Labels)> ValidationBatches(int batchSize)
    {
        _validation = Fit(_validation, _split.Validation, batchSize);
        for (int start = 0; start < _split.Validation.Count; start += batchSize)
        {
            yield return _validation.Range(start, Math.Min(batchSize, _split.Validation.Count - start));
        }
    }

    /// <summary>The builder when its buffer holds <paramref name="batchSize"/> images, else a new one (e.g. SNIP's large batch).</summary>
    private BatchBuilder Fit(BatchBuilder? builder, ImageDataset dataset, int batchSize)
    {
        if (builder is not null && builder.MaxBatchSize >= batchSize)
        {
            return builder;
        }

        builder?.Dispose();
        return new BatchBuilder(dataset, _split.Mean, _device, batchSize);
    }

    public void Dispose()
    {
        _train?.Dispose();
        _validation?.Dispose();
    }
}
