using Grid.Engine.Data;
using Grid.Engine.Runtime;
using Grid.Engine.Tests.Data.Fixtures;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Data;

public sealed class BatchBuilderTests
{
    private static readonly ImageShape Shape = new(2, 3, 4);

    private static (ImageDataset Dataset, float[] Mean) Dataset(int count)
    {
        var images = SyntheticImages.Make(0, count, Shape.Features);
        var dataset = new ImageDataset(Shape, images, [.. Enumerable.Range(0, count).Select(i => i % 7)], 7, "synthetic");
        return (dataset, [.. Enumerable.Range(0, Shape.Features).Select(f => f * 3.5f)]);
    }

    [Fact]
    public void GatherNormalisesOnTheDeviceAsXMinusMeanOver255()
    {
        TorchRuntime.EnsureLoaded();
        var (dataset, mean) = Dataset(10);
        using var builder = new BatchBuilder(dataset, mean, CPU, maxBatchSize: 8);
        int[] indices = [9, 0, 9, 4];

        var (images, labels) = builder.Gather(indices);
        using (images)
        using (labels)
        {
            Assert.Equal(new long[] { 4, Shape.Features }, images.shape);
            Assert.Equal(ScalarType.Float32, images.dtype);
            Assert.Equal(ScalarType.Int64, labels.dtype);
            Assert.Equal(TorchSharp.DeviceType.CPU, images.device_type);
            var values = images.data<float>().ToArray();
            for (int b = 0; b < indices.Length; b++)
            {
                for (int f = 0; f < Shape.Features; f++)
                {
                    float expected = (SyntheticImages.Pixel(indices[b], f) - mean[f]) / 255f;
                    Assert.Equal(expected, values[b * Shape.Features + f], 5);
                }
            }

            Assert.Equal(indices.Select(i => (long)(i % 7)), labels.data<long>().ToArray());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GatherOnTheCpuGivesLibtorchsBitsOnAnyThreadCount(int threads)
    {
        TorchRuntime.EnsureLoaded();
        var shape = new ImageShape(3, 16, 16); // enough pixels per batch that two threads share the rows
        var pixels = SyntheticImages.Make(0, 300, shape.Features);
        var dataset = new ImageDataset(shape, pixels, [.. Enumerable.Range(0, 300).Select(i => i % 7)], 7, "synthetic");
        var mean = dataset.PixelMean();
        using var builder = new BatchBuilder(dataset, mean, CPU, maxBatchSize: 256);
        int[] indices = [.. Enumerable.Range(0, 256).Select(i => (i * 37) % 300)];
        int before = TorchThreads.OfCurrentThread();
        TorchThreads.UseOnCurrentThread(threads);
        try
        {
            var (images, labels) = builder.Gather(indices);
            using (images)
            using (labels)
            {
                using var raw = tensor(indices.SelectMany(i => dataset.Image(i).ToArray()).ToArray(), [indices.Length, shape.Features]);
                using var meanTensor = tensor(mean, [shape.Features]);
                using var expected = PixelNormalisation.Tensors(raw, meanTensor);
                Assert.Equal(expected.data<float>().ToArray(), images.data<float>().ToArray());
            }
        }
        finally
        {
            TorchThreads.UseOnCurrentThread(before);
        }
    }

    [Fact]
    public void RangeReturnsConsecutiveImagesAndABatchAboveCapacityIsRefused()
    {
        TorchRuntime.EnsureLoaded();
        var (dataset, mean) = Dataset(10);
        using var builder = new BatchBuilder(dataset, mean, CPU, maxBatchSize: 4);

        var (first, firstLabels) = builder.Range(0, 4);
        var (last, lastLabels) = builder.Range(8, 2);
        using (first)
        using (firstLabels)
        using (last)
        using (lastLabels)
        {
            Assert.Equal((SyntheticImages.Pixel(0, 5) - mean[5]) / 255f, first[0, 5].item<float>(), 5);
            Assert.Equal((SyntheticImages.Pixel(9, 5) - mean[5]) / 255f, last[1, 5].item<float>(), 5);
            Assert.Equal(new long[] { 8 % 7, 9 % 7 }, lastLabels.data<long>().ToArray());
        }

        Assert.Throws<ArgumentException>(() => builder.Gather(new int[5]));
    }

    [Fact]
    public void SamplingWithReplacementIsReproducibleForASeed()
    {
        TorchRuntime.EnsureLoaded();
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        var a = BatchSampler.SampleWithReplacement(g1, 1000, 10);
        var b = BatchSampler.SampleWithReplacement(g2, 1000, 10);

        Assert.Equal(a, b);
        Assert.All(a, i => Assert.InRange(i, 0, 9));
        Assert.Equal(10, a.Distinct().Count());

        var r1 = BatchSampler.SampleWithReplacement(SeedStreams.Random(7, "batches"), 50, 3);
        var r2 = BatchSampler.SampleWithReplacement(SeedStreams.Random(7, "batches"), 50, 3);
        Assert.Equal(r1, r2);
        Assert.All(r1, i => Assert.InRange(i, 0, 2));
        Assert.NotEqual(SeedStreams.Derive(7, "batches"), SeedStreams.Derive(7, "task.mixed"));
    }
}
