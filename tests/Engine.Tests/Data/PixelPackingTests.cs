using Grid.Engine.Data;
using Grid.Engine.Runtime;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Data;

/// <summary>A sparse first layer's input packed straight from the dataset's bytes is the normalised batch packed:
/// the same bits, zeros past the batch.</summary>
public sealed unsafe class PixelPackingTests
{
    /// <summary>Sizes with tails: pixels past the last block of eight, images past the last eight of a chunk, a last
    /// chunk part full.</summary>
    [Theory]
    [InlineData(784, 150)]
    [InlineData(3072, 1000)]
    [InlineData(37, 13)]
    [InlineData(5, 70)]
    public void PackingFromTheBytesIsPackingTheNormalisedBatch(int features, int batch)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var random = new Random(features + batch);
        var pixels = new byte[300 * features];
        random.NextBytes(pixels);
        var dataset = new ImageDataset(new ImageShape(1, 1, features), pixels, [.. Enumerable.Range(0, 300).Select(i => i % 10)], 10, "random");
        var mean = Enumerable.Range(0, features).Select(_ => (float)(random.NextDouble() * 255)).ToArray();
        using var builder = new BatchBuilder(dataset, mean, CPU, maxBatchSize: batch);
        int[] indices = [.. Enumerable.Range(0, batch).Select(_ => random.Next(300))];
        var images = builder.Images(indices);
        var drawn = DrawnBatch.Deferred(builder, indices, builder.Labels(indices));

        using var expected = new PackedRows();
        using var actual = new PackedRows();
        expected.FillColumns(TensorMemory.Floats(images), features, batch, threads: 1);
        actual.Prepare(features, batch);
        int chunks = (batch + SparseProducts.Chunk - 1) / SparseProducts.Chunk;
        for (int c = 0; c < chunks; c++)
        {
            new Span<float>(actual.Chunk(c), features * SparseProducts.Chunk).Fill(float.NaN); // what packing must overwrite
            drawn.PackColumns(actual, c);
        }

        for (int c = 0; c < chunks; c++)
        {
            Assert.Equal(new ReadOnlySpan<float>(expected.Chunk(c), features * SparseProducts.Chunk).ToArray(), new ReadOnlySpan<float>(actual.Chunk(c), features * SparseProducts.Chunk).ToArray());
        }
    }
}
