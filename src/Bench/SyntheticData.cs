using Grid.Engine.Data;

namespace Grid.Bench;

/// <summary>Random images and labels of a given shape: benchmarks time the arithmetic, not a dataset's content.</summary>
public static class SyntheticData
{
    public static DatasetSplit Split(ImageShape shape, int classes, int trainCount, int validationCount, int seed = 1)
    {
        var random = new Random(seed);
        var images = new byte[trainCount * shape.Features];
        random.NextBytes(images);
        var labels = Enumerable.Range(0, trainCount).Select(_ => random.Next(classes)).ToArray();
        var train = new ImageDataset(shape, images, labels, classes, "synthetic");
        return new DatasetSplit(train, train.Take(validationCount), train.PixelMean());
    }
}
