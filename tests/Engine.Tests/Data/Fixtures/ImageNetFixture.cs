using Grid.Engine.IO;

namespace Grid.Engine.Tests.Data.Fixtures;

/// <summary>
/// Downsampled-ImageNet directories in the published layouts: train_data_batch_1..10 + val_data as pickles
/// or as .npz. Training image i of batch b is image number b*perBatch+i; labels are 1-based.
/// </summary>
internal static class ImageNetFixture
{
    public static int Label(int image) => image * 37 % 1000 + 1;

    public static double[] Mean(int features) => [.. Enumerable.Range(0, features).Select(f => 100 + f * 0.25)];

    public static void WriteDataset(string directory, int imageSize, int perBatch, int valCount, bool npz, int lastBatchExtra = 0)
    {
        int features = 3 * imageSize * imageSize;
        var mean = Mean(features);
        for (int b = 0; b < 10; b++)
        {
            int count = perBatch + (b == 9 ? lastBatchExtra : 0);
            WriteBatch(Path.Combine(directory, $"train_data_batch_{b + 1}"), b * perBatch, count, features, mean, npz);
        }

        WriteBatch(Path.Combine(directory, "val_data"), 100_000, valCount, features, null, npz);
    }

    public static void WriteBatch(string pathWithoutExtension, int first, int count, int features, double[]? mean, bool npz)
    {
        var images = SyntheticImages.Make(first, count, features);
        var labels = Enumerable.Range(first, count).Select(Label).ToArray();
        if (npz)
        {
            var arrays = new Dictionary<string, NpyArray>
            {
                ["data"] = NpyArray.Of(images, count, features),
                ["labels"] = NpyArray.Of(labels.Select(l => (long)l).ToArray()),
            };
            if (mean is not null)
            {
                arrays["mean"] = NpyArray.Of(mean);
            }

            NpzWriter.Write(pathWithoutExtension + ".npz", arrays);
        }
        else
        {
            File.WriteAllBytes(pathWithoutExtension, NumpyPickleFixture.Batch(images, features, labels, mean));
        }
    }
}
