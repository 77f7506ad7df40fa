using System.Diagnostics;
using Grid.Bench.Commands;
using Grid.Engine.Data;
using Grid.Engine.Numerics;
using Grid.Engine.Runtime;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>
/// Drawing a training batch on the CPU: <see cref="BatchBuilder.Gather"/> (each image from the dataset's bytes to its
/// normalised row in one SIMD pass) against the path it replaced (the bytes copied into a staging tensor, then libtorch's
/// conversion, subtraction and division, three passes over the batch). The two alternate within each round; per case
/// the median ms per batch of each and the median [min–max] of the rounds' ratios, and whether the bits agree. Then the
/// first layer's packing of the batch when it trains sparse (<see cref="PackedRows.FillColumns"/>): 8x8 blocks
/// transposed in registers against value by value, the same way.
/// </summary>
public static class BatchBenchmark
{
    public static void Run(BatchSettings settings)
    {
        TorchRuntime.EnsureLoaded();
        Console.WriteLine($"batch {settings.Batch}; {settings.Rounds} rounds of {settings.Repetitions} batches per path, alternating; load average {Machine.LoadAverage()}");
        Console.WriteLine($"{"pixels",7} {"threads",7} {"one pass ms",12} {"libtorch ms",12}  {"one pass / libtorch",-22} bits");
        foreach (int features in settings.Features)
        {
            var split = SyntheticData.Split(new ImageShape(1, 1, features), classes: 10, trainCount: 10_000, validationCount: 1);
            foreach (int threads in settings.ThreadCounts)
            {
                TorchThreads.UseOnCurrentThread(threads);
                Measure(split, settings.Batch, settings.Rounds, settings.Repetitions, features, threads);
            }
        }

        Console.WriteLine($"\n{"pixels",7} {"threads",7} {"8x8 ms",12} {"by value ms",12}  {"8x8 / by value",-22} bits");
        foreach (int features in settings.Features)
        {
            foreach (int threads in settings.ThreadCounts)
            {
                MeasurePacking(features, settings.Batch, settings.Rounds, settings.Repetitions, threads);
            }
        }

        Console.WriteLine($"load average {Machine.LoadAverage()}");
    }

    private static unsafe void MeasurePacking(int features, int batch, int rounds, int repetitions, int threads)
    {
        var random = new Random(4);
        var images = Enumerable.Range(0, batch * features).Select(_ => (float)random.NextDouble()).ToArray();
        using var blocks = new PackedRows();
        using var values = new PackedRows();
        List<double> byBlock = [], byValue = [];
        fixed (float* source = images)
        {
            float* x = source;
            blocks.FillColumns(x, features, batch, threads);
            values.FillColumns(x, features, batch, threads, blocks: false);
            long floats = (long)features * SparseProducts.Chunk * ((batch + SparseProducts.Chunk - 1) / SparseProducts.Chunk);
            bool same = new ReadOnlySpan<float>(blocks.Chunk(0), (int)floats).SequenceEqual(new ReadOnlySpan<float>(values.Chunk(0), (int)floats));
            for (int round = 0; round < rounds; round++)
            {
                byBlock.Add(Milliseconds(repetitions, () => blocks.FillColumns(x, features, batch, threads)));
                byValue.Add(Milliseconds(repetitions, () => values.FillColumns(x, features, batch, threads, blocks: false)));
            }

            Console.WriteLine(Row(features, threads, byBlock, byValue, same));
        }
    }

    private static string Row(int features, int threads, List<double> engine, List<double> alternative, bool same)
    {
        return FormattableString.Invariant(
            $"{features,7} {threads,7} {Statistics.Median(engine),12:F3} {Statistics.Median(alternative),12:F3}  {PairedRatios.Describe(engine, alternative),-22} {(same ? "same" : "DIFFERENT")}");
    }

    private static double Milliseconds(int repetitions, Action work)
    {
        var clock = Stopwatch.StartNew();
        for (int r = 0; r < repetitions; r++)
        {
            work();
        }

        return clock.Elapsed.TotalMilliseconds / repetitions;
    }

    private static void Measure(DatasetSplit split, int batch, int rounds, int repetitions, int features, int threads)
    {
        using var builder = new BatchBuilder(split.Train, split.Mean, CPU, batch);
        using var staging = empty([batch, features], dtype: uint8);
        using var mean = tensor(split.Mean, [features]);
        var random = new Random(3);
        var indices = Enumerable.Range(0, batch).Select(_ => random.Next(split.Train.Count)).ToArray();
        bool same = SameBits(builder, staging, mean, indices);
        List<double> onePass = [], libtorch = [];
        for (int round = 0; round < rounds; round++)
        {
            onePass.Add(Milliseconds(repetitions, () => builder.Gather(indices)));
            libtorch.Add(Milliseconds(repetitions, () => StagedThenNormalised(split.Train, staging, mean, indices)));
        }

        Console.WriteLine(Row(features, threads, onePass, libtorch, same));
    }

    private static double Milliseconds(int repetitions, Func<(Tensor, Tensor)> draw) => Milliseconds(repetitions, () =>
    {
        var (images, labels) = draw();
        images.Dispose();
        labels.Dispose();
    });

    /// <summary>The path <see cref="BatchBuilder.Gather"/> took on the CPU before (labels included, as it builds them).</summary>
    private static (Tensor Images, Tensor Labels) StagedThenNormalised(ImageDataset dataset, Tensor staging, Tensor mean, int[] indices)
    {
        int features = dataset.Shape.Features;
        var buffer = staging.bytes;
        var labels = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            dataset.Image(indices[i]).CopyTo(buffer.Slice(i * features, features));
            labels[i] = dataset.Labels[indices[i]];
        }

        return (PixelNormalisation.Tensors(staging.narrow(0, 0, indices.Length), mean), tensor(labels, [labels.Length], dtype: int64));
    }

    private static bool SameBits(BatchBuilder builder, Tensor staging, Tensor mean, int[] indices)
    {
        var (images, labels) = builder.Gather(indices);
        var (expected, expectedLabels) = StagedThenNormalised(builder.Dataset, staging, mean, indices);
        using (images)
        using (labels)
        using (expected)
        using (expectedLabels)
        {
            return images.data<float>().ToArray().AsSpan().SequenceEqual(expected.data<float>().ToArray()) && labels.data<long>().ToArray().AsSpan().SequenceEqual(expectedLabels.data<long>().ToArray());
        }
    }
}
