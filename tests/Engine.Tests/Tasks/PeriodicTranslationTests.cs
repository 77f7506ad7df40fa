using Grid.Engine.Data;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Tasks;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Tasks;

public sealed class PeriodicTranslationTests
{
    private static bool Same(Tensor a, Tensor b)
    {
        using var equal = a.eq(b).all();
        return a.shape.SequenceEqual(b.shape) && equal.item<bool>();
    }

    private static Tensor Images(int batch, int channels, int height, int width) =>
        arange(batch * channels * height * width, dtype: float32).view(batch, channels, height, width);

    [Fact]
    public void RollMatchesTorchRollPerImage()
    {
        TorchRuntime.EnsureLoaded();
        using var images = Images(3, 2, 5, 4);
        long[] dx = [0, 3, 1], dy = [4, 2, 0];

        using var rolled = PeriodicTranslation.Roll(images, dx, dy);

        for (int b = 0; b < 3; b++)
        {
            using var expected = images[b].roll([dy[b], dx[b]], [1, 2]);
            using var actual = rolled[b];
            Assert.True(Same(expected, actual), $"image {b}");
        }
    }

    [Fact]
    public void RollingBackByTheComplementIsTheIdentityAndContentIsPreserved()
    {
        TorchRuntime.EnsureLoaded();
        using var images = Images(4, 3, 6, 5);
        using var generator = new Generator(5);

        using var rolled = PeriodicTranslation.RandomRoll(images, generator);

        Assert.False(Same(rolled, images));
        for (int b = 0; b < 4; b++)
        {
            // find the shift of image b from where its first pixel went
            using var image = rolled[b];
            var flat = image[0].data<float>().ToArray();
            int moved = Array.IndexOf(flat, images[b, 0, 0, 0].item<float>());
            long dy = moved / 5, dx = moved % 5;
            using var back = PeriodicTranslation.Roll(image.unsqueeze(0), [(5 - dx) % 5], [(6 - dy) % 6]);
            Assert.True(Same(back[0], images[b]));
            using var sortedBefore = images[b].flatten().sort().Values;
            using var sortedAfter = image.flatten().sort().Values;
            Assert.True(Same(sortedBefore, sortedAfter));
        }

        Assert.True(Same(images, Images(4, 3, 6, 5)), "the input batch is not modified");
    }

    [Fact]
    public void ShiftsAreReproducibleFromTheGenerator()
    {
        TorchRuntime.EnsureLoaded();
        using var images = Images(8, 1, 7, 7);
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);

        using var a = PeriodicTranslation.RandomRoll(images, g1);
        using var b = PeriodicTranslation.RandomRoll(images, g2);

        Assert.True(Same(a, b));
    }

    [Fact]
    public void OnlyTrainingBatchesAreTranslated()
    {
        TorchRuntime.EnsureLoaded();
        var shape = new ImageShape(1, 4, 4);
        var pixels = Enumerable.Range(0, 6 * 16).Select(i => (byte)(i * 5 % 251)).ToArray();
        var dataset = new ImageDataset(shape, pixels, [0, 1, 2, 0, 1, 2], 3, "synthetic");
        var split = new DatasetSplit(dataset, dataset, new float[16]);
        var task = new TaskSpec { Translate = true };
        Assert.Null(TaskVariants.BatchTransform(new TaskSpec()));

        var source = new DatasetBatchSource(TaskVariants.Apply(split, task, 1), CPU, TaskVariants.BatchTransform(task));
        using var generator = new Generator(3);
        var (train, trainLabels) = source.TrainBatch(64, generator);
        var (validation, validationLabels) = source.ValidationBatches(6).Single();

        using (train)
        using (trainLabels)
        using (validation)
        using (validationLabels)
        {
            using var expected = tensor(pixels.Select(p => p / 255f).ToArray(), [6, 16]);
            Assert.True(validation.allclose(expected));
            bool anyShifted = false;
            for (int b = 0; b < 64; b++)
            {
                int label = (int)trainLabels[b].item<long>();
                var row = train[b].data<float>().ToArray();
                var originals = Enumerable.Range(0, 6).Where(i => i % 3 == label).Select(i => pixels.Skip(i * 16).Take(16).Select(p => p / 255f).ToArray());
                Assert.Contains(originals, o => o.Order().SequenceEqual(row.Order()));
                anyShifted |= !originals.Any(o => o.SequenceEqual(row));
            }

            Assert.True(anyShifted);
        }
    }
}
