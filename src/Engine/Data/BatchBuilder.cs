using Grid.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Data;

/// <summary>
/// Turns dataset indices into normalised tensors on the training device: the uint8 images are gathered into
/// a contiguous staging buffer (page-locked when the device is CUDA), copied to the device as uint8, and only
/// there converted to float32 and normalised, x' = (x - mean) / 255 (docs/science.md §1), giving images [B, C·H·W]
/// float32 and labels [B] int64. Not thread-safe: one builder per training loop.
/// </summary>
public sealed class BatchBuilder : IDisposable
{
    /// <summary>Raw bytes are divided by this after the mean is subtracted (a process-lifetime Scalar: see TorchScalars).</summary>
    private static readonly Scalar PixelRange = 255f.ToScalar();

    private readonly Tensor _staging;
    private readonly Tensor _mean;

    public BatchBuilder(ImageDataset dataset, float[] mean, Device device, int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        if (mean.Length != dataset.Shape.Features)
        {
            throw new ArgumentException($"mean has {mean.Length} values, images have {dataset.Shape.Features}", nameof(mean));
        }

        TorchRuntime.EnsureLoaded();
        Dataset = dataset;
        Device = device;
        MaxBatchSize = maxBatchSize;
        var staging = empty([maxBatchSize, dataset.Shape.Features], dtype: uint8);
        if (device.type == DeviceType.CUDA)
        {
            var pinned = staging.pin_memory().DetachFromDisposeScope();
            staging.Dispose();
            staging = pinned;
        }

        // Long-lived: the builder may be created inside a caller's per-step dispose scope.
        _staging = staging.DetachFromDisposeScope();
        _mean = tensor(mean, [mean.Length], dtype: float32, device: device).DetachFromDisposeScope();
    }

    public ImageDataset Dataset { get; }
    public Device Device { get; }
    public int MaxBatchSize { get; }

    /// <summary>The images and labels at <paramref name="indices"/>, on <see cref="Device"/>; the caller disposes them.</summary>
    public (Tensor Images, Tensor Labels) Gather(ReadOnlySpan<int> indices)
    {
        if (indices.Length > MaxBatchSize)
        {
            throw new ArgumentException($"{indices.Length} indices exceed the batch capacity {MaxBatchSize}", nameof(indices));
        }

        int features = Dataset.Shape.Features;
        var buffer = _staging.bytes;
        var labels = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Dataset.Image(indices[i]).CopyTo(buffer.Slice(i * features, features));
            labels[i] = Dataset.Labels[indices[i]];
        }

        using var scope = NewDisposeScope();
        var raw = _staging.narrow(0, 0, indices.Length).to(Device);
        var images = raw.to_type(float32).sub_(_mean).div_(PixelRange);
        var labelTensor = tensor(labels, [labels.Length], dtype: int64).to(Device);
        return (images.MoveToOuterDisposeScope(), labelTensor.MoveToOuterDisposeScope());
    }

    /// <summary>The images start..start+count-1 in order (validation).</summary>
    public (Tensor Images, Tensor Labels) Range(int start, int count)
    {
        var indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = start + i;
        }

        return Gather(indices);
    }

    public void Dispose()
    {
        _staging.Dispose();
        _mean.Dispose();
    }
}
