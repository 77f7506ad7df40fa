using Grid.Engine.Data;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>
/// A training batch as drawn: its labels, and its images either as a tensor [B, pixels] or, from a dataset on the CPU,
/// as the indices of its images, normalised only when asked: into a tensor (<see cref="Images"/>) or, chunk by chunk,
/// straight into a sparse first layer's packed input (<see cref="PackColumns"/>), the same values either way.
/// </summary>
public sealed class DrawnBatch
{
    private readonly BatchBuilder? _builder;
    private readonly int[]? _indices;
    private Tensor? _images;

    private DrawnBatch(Tensor? images, Tensor labels, BatchBuilder? builder, int[]? indices)
    {
        _images = images;
        Labels = labels;
        _builder = builder;
        _indices = indices;
    }

    /// <summary>A batch whose images are already a tensor.</summary>
    public static DrawnBatch Of(Tensor images, Tensor labels) => new(images, labels, null, null);

    /// <summary>The images at <paramref name="indices"/> of the builder's dataset, normalised when first needed.</summary>
    public static DrawnBatch Deferred(BatchBuilder builder, int[] indices, Tensor labels) => new(null, labels, builder, indices);

    public Tensor Labels { get; }

    public int Count => (int)Labels.shape[0];

    /// <summary>True when the images can be packed from the dataset's bytes (<see cref="PackColumns"/>).</summary>
    public bool Packable => _images is null && _builder is not null;

    /// <summary>The images [B, pixels], normalised now if they were not (in the current dispose scope).</summary>
    public Tensor Images => _images ??= _builder!.Images(_indices!);

    /// <summary>Chunk <paramref name="chunk"/> of the images' columns into <paramref name="target"/>, prepared for
    /// [pixels, B] (<see cref="PackedRows.Prepare"/>).</summary>
    public unsafe void PackColumns(PackedRows target, int chunk)
    {
        int first = chunk * SparseProducts.Chunk;
        PixelPacking.PackChunk(_builder!.Dataset, _indices, _builder.Mean, first, Math.Min(SparseProducts.Chunk, Count - first), target.Chunk(chunk), SparseProducts.Chunk);
    }
}
