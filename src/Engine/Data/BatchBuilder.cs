using Grid.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Data;

/// <summary>
/// Turns dataset indices into normalised tensors on the training device, x' = (x - mean) / 255 (docs/science.md §1),
/// giving images [B, C·H·W] float32 and labels [B] int64. On the CPU each image goes from the dataset's bytes to its
/// normalised row in one SIMD pass (<see cref="PixelNormalisation"/>), split between the calling thread's libtorch
/// threads. On other devices the uint8 images are gathered into a contiguous staging buffer (page-locked for CUDA),
/// copied to the device as uint8, and only there converted and normalised. Not thread-safe: one builder per training
/// loop.
/// </summary>
public sealed class BatchBuilder : IDisposable
{
    private readonly float[] _mean;

    /// <summary>Off the CPU: the uint8 staging buffer and the mean on the device; null on the CPU.</summary>
    private readonly DeviceInputs? _onDevice;

    private sealed record DeviceInputs(Tensor Staging, Tensor Mean);

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
        _mean = [.. mean];
        if (device.type != DeviceType.CPU)
        {
            // Long-lived: the builder may be created inside a caller's per-step dispose scope.
            _onDevice = new DeviceInputs(Staging(maxBatchSize, dataset.Shape.Features, device),
                tensor(mean, [mean.Length], dtype: float32, device: device).DetachFromDisposeScope());
        }
    }

    public ImageDataset Dataset { get; }
    public Device Device { get; }
    public int MaxBatchSize { get; }

    /// <summary>The images and labels at <paramref name="indices"/>, on <see cref="Device"/>; the caller disposes them.</summary>
    public (Tensor Images, Tensor Labels) Gather(ReadOnlySpan<int> indices) => (Images(indices), Labels(indices));

    /// <summary>The images at <paramref name="indices"/>, normalised, on <see cref="Device"/>.</summary>
    public Tensor Images(ReadOnlySpan<int> indices)
    {
        CheckCapacity(indices);
        using var scope = NewDisposeScope();
        var images = _onDevice is null ? NormaliseOnCpu(indices.ToArray()) : NormaliseOnDevice(indices, _onDevice);
        return images.MoveToOuterDisposeScope();
    }

    /// <summary>The labels [B] int64 of the images at <paramref name="indices"/>, on <see cref="Device"/>.</summary>
    public Tensor Labels(ReadOnlySpan<int> indices)
    {
        CheckCapacity(indices);
        var labels = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            labels[i] = Dataset.Labels[indices[i]];
        }

        using var scope = NewDisposeScope();
        return tensor(labels, [labels.Length], dtype: int64).to(Device).MoveToOuterDisposeScope();
    }

    /// <summary>The per-pixel mean subtracted before dividing by 255.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    private void CheckCapacity(ReadOnlySpan<int> indices)
    {
        if (indices.Length > MaxBatchSize)
        {
            throw new ArgumentException($"{indices.Length} indices exceed the batch capacity {MaxBatchSize}", nameof(indices));
        }
    }

    private unsafe Tensor NormaliseOnCpu(int[] indices)
    {
        int features = Dataset.Shape.Features;
        var images = empty([indices.Length, features], dtype: float32);
        var target = TensorMemory.Floats(images);
        ParallelWork.Run(indices.Length, TorchThreads.OfCurrentThread(), (long)indices.Length * features, i =>
            PixelNormalisation.Normalise(Dataset.Image(indices[i]), _mean, new Span<float>(target + (long)i * features, features)));
        return images;
    }

    private Tensor NormaliseOnDevice(ReadOnlySpan<int> indices, DeviceInputs inputs)
    {
        int features = Dataset.Shape.Features;
        var buffer = inputs.Staging.bytes;
        for (int i = 0; i < indices.Length; i++)
        {
            Dataset.Image(indices[i]).CopyTo(buffer.Slice(i * features, features));
        }

        return PixelNormalisation.Tensors(inputs.Staging.narrow(0, 0, indices.Length).to(Device), inputs.Mean);
    }

    private static Tensor Staging(int maxBatchSize, int features, Device device)
    {
        var staging = empty([maxBatchSize, features], dtype: uint8);
        if (device.type == DeviceType.CUDA)
        {
            var pinned = staging.pin_memory().DetachFromDisposeScope();
            staging.Dispose();
            staging = pinned;
        }

        return staging.DetachFromDisposeScope();
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
        _onDevice?.Staging.Dispose();
        _onDevice?.Mean.Dispose();
    }
}
