using System.Collections.Concurrent;
using Grid.Engine.Model;
using Grid.Engine.Model.BatchNorm;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>
/// Whether a training step of a network layout gives the same bits with every thread count from 1 to a slot's maximum,
/// checked once per layout, batch size and count on this host by running one <see cref="BackpropStep"/> of a small
/// copy of the layout at each count. An adaptive <see cref="ThreadBudget"/> may change a slot's threads between steps
/// only where this holds, so that a busy machine never changes a run's masks (libtorch's matrix products split their
/// sums between threads for some shapes). CPU only: other devices do not use the slot's threads for arithmetic.
/// </summary>
public static class ThreadInvariance
{
    /// <summary>Budgets above this many threads are not checked (the check would cost a step per count) and stay fixed.</summary>
    public const int MaxCheckedThreads = 8;

    private static readonly ConcurrentDictionary<string, bool> Verified = new(StringComparer.Ordinal);

    /// <summary>True when every thread count in 1..<paramref name="maxThreads"/> gives identical gradients and running
    /// averages for <paramref name="model"/>'s layout at <paramref name="batchSize"/>. Runs on the calling thread and
    /// leaves its thread count as it found it.</summary>
    public static bool Holds(MaskedMlp model, int batchSize, int maxThreads)
    {
        if (model.Device.type != TorchSharp.DeviceType.CPU || maxThreads <= 1)
        {
            return true;
        }

        if (maxThreads > MaxCheckedThreads)
        {
            return false;
        }

        string key = $"{string.Join('-', model.LayerWidths)}|{model.HasBatchNorm}|{batchSize}|{maxThreads}";
        return Verified.GetOrAdd(key, _ => Check(model, batchSize, maxThreads));
    }

    private static bool Check(MaskedMlp layout, int batchSize, int maxThreads)
    {
        int before = TorchThreads.OfCurrentThread();
        try
        {
            var reference = GradientsWith(1, layout, batchSize);
            for (int threads = 2; threads <= maxThreads; threads++)
            {
                var other = GradientsWith(threads, layout, batchSize);
                if (!reference.Zip(other).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second)))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            TorchThreads.UseOnCurrentThread(before);
        }
    }

    private static float[][] GradientsWith(int threads, MaskedMlp layout, int batchSize)
    {
        TorchThreads.UseOnCurrentThread(threads);
        using var scope = NewDisposeScope();
        var widths = layout.LayerWidths;
        var network = new NetworkSpec { Hidden = [.. widths.Skip(1).Take(widths.Count - 2)], BatchNorm = layout.HasBatchNorm };
        using var model = new MaskedMlp(widths[0], network, widths[^1], 0.99, CPU);
        using var generator = new Generator(1);
        model.Initialise(generator);
        model.train();
        var images = randn([batchSize, widths[0]], generator: generator);
        var labels = randint(widths[^1], [batchSize], generator: generator);
        new BackpropStep(model, new ColumnBatchNorm(() => threads)).Run(images, labels);
        var gradients = model.parameters().Select(p => p.grad!.data<float>().ToArray());
        var averages = Enumerable.Range(0, model.HasBatchNorm ? model.LayerCount - 1 : 0)
            .SelectMany(l => new[] { model.Norm(l).running_mean!.data<float>().ToArray(), model.Norm(l).running_var!.data<float>().ToArray() });
        return [.. gradients.Concat(averages)];
    }
}
