using Grid.Engine.Training.Backprop;

namespace Grid.Engine.Tests;

public sealed unsafe class PackedRowsTests
{
    /// <summary>Sizes that leave tails everywhere: features past the last 8x8 block, images past the last eight of a
    /// chunk, a last chunk part full (zeros after it).</summary>
    [Theory]
    [InlineData(37, 150, 1)]
    [InlineData(37, 150, 2)]
    [InlineData(64, 128, 2)]
    [InlineData(3, 9, 1)]
    public void PackingTheColumnsOfARowMajorBatchIsPackingItsTransposesRows(int features, int images, int threads)
    {
        var random = new Random(features * images);
        var batch = Enumerable.Range(0, features * images).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var transposed = new float[batch.Length];
        for (int i = 0; i < images; i++)
        {
            for (int f = 0; f < features; f++)
            {
                transposed[f * images + i] = batch[i * features + f];
            }
        }

        using var columns = new PackedRows();
        using var rows = new PackedRows();
        fixed (float* b = batch, t = transposed)
        {
            columns.FillColumns(b, features, images, threads);
            rows.FillRows(t, features, images, threads: 1);
        }

        int chunks = (images + SparseProducts.Chunk - 1) / SparseProducts.Chunk;
        for (int c = 0; c < chunks; c++)
        {
            var expected = new ReadOnlySpan<float>(rows.Chunk(c), features * SparseProducts.Chunk).ToArray();
            var actual = new ReadOnlySpan<float>(columns.Chunk(c), features * SparseProducts.Chunk).ToArray();
            Assert.Equal(expected, actual);
        }
    }
}
