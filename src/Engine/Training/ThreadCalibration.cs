using System.Collections.Concurrent;
using System.Diagnostics;
using Grid.Engine.Model;
using Grid.Engine.Training.Backprop;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>What <see cref="ThreadCalibration"/> found for one network layout and batch size on this host.</summary>
/// <param name="Invariant">every thread count from 1 to the maximum gives the same bits</param>
/// <param name="Fastest">the thread count with the shortest step (the maximum when not invariant)</param>
/// <param name="MillisecondsPerStep">step time per thread count (empty when not invariant)</param>
public sealed record ThreadChoice(bool Invariant, int Fastest, IReadOnlyDictionary<int, double> MillisecondsPerStep);

/// <summary>
/// Which libtorch thread counts a slot may train (and validate) a network layout with, and which is fastest, found once per layout,
/// batch size and maximum on this host by running <see cref="BackpropStep"/>s of a fresh copy of the layout on random data
/// at every count from 1 to the maximum. A count may be chosen (and changed under load) only when all of them give the
/// same gradients and running averages bit for bit, so that neither the measurement nor a busy machine changes a run's
/// masks (libtorch's matrix products split their sums between threads for some shapes); otherwise the slot keeps its
/// maximum. Small networks often train fastest on one thread (OpenMP's fork and join cost more than the second thread
/// saves, measured in docs/throughput.md), which also leaves the other cores to analyses. CPU only. Measured once per
/// process (the count changes no bits, so processes need not agree).
/// </summary>
public static class ThreadCalibration
{
    /// <summary>Maxima above this are not calibrated (a step per count) and stay fixed.</summary>
    public const int MaxCalibratedThreads = 8;

    /// <summary>Timed steps per count: at least this many, and at least <see cref="MinimumSeconds"/> of them.</summary>
    private const int MinimumSteps = 5;

    private const double MinimumSeconds = 0.1;

    /// <summary>Interleaved rounds of timing per count.</summary>
    private const int Rounds = 3;

    /// <summary>More threads are chosen only when at least this much faster (they also take cores from analyses and other work).</summary>
    private const double MoreThreadsMargin = 0.1;

    /// <summary>A timing is disturbed when the machine kept this many cores busy beyond the threads being timed.</summary>
    private const double DisturbanceCores = 0.5;

    /// <summary>Calibrations of one key that may be repeated because other work disturbed their timings; the next is kept
    /// whatever it met (a machine that is always busy).</summary>
    public const int MaxDisturbedCalibrations = 3;

    private static readonly ConcurrentDictionary<string, ThreadChoice> Choices = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> Disturbed = new(StringComparer.Ordinal);

    /// <summary>The choice for <paramref name="model"/>'s layout at <paramref name="batchSize"/> with at most
    /// <paramref name="maxThreads"/> threads. Runs on the calling (training) thread and leaves its thread count as it found it.
    /// A calibration whose timings other work disturbed (<paramref name="busyCores"/>, the machine's busy cores since its
    /// previous call, read around each timing) is used once and not kept, so the next iteration measures again, up to
    /// <see cref="MaxDisturbedCalibrations"/> times: a moment of load while a run starts (seen: a LeNet run kept 1 thread,
    /// 30% slower than 2) must not decide for the whole process.</summary>
    public static ThreadChoice For(MaskedMlp model, int batchSize, int maxThreads, Func<double?>? busyCores = null)
    {
        if (model.Device.type != TorchSharp.DeviceType.CPU || maxThreads <= 1)
        {
            return new ThreadChoice(true, Math.Max(1, maxThreads), new Dictionary<int, double>());
        }

        if (maxThreads > MaxCalibratedThreads)
        {
            return new ThreadChoice(false, maxThreads, new Dictionary<int, double>());
        }

        string key = $"{string.Join('-', model.LayerWidths)}|bn {model.HasBatchNorm}|batch {batchSize}|max {maxThreads}";
        if (Choices.TryGetValue(key, out var kept))
        {
            return kept;
        }

        var choice = Calibrate(model, batchSize, maxThreads, busyCores ?? new CpuLoad().BusyCores, out bool disturbed);
        if (disturbed && Disturbed.AddOrUpdate(key, 1, (_, count) => count + 1) <= MaxDisturbedCalibrations)
        {
            return choice;
        }

        return Choices.GetOrAdd(key, choice);
    }

    private static ThreadChoice Calibrate(MaskedMlp layout, int batchSize, int maxThreads, Func<double?> busyCores, out bool disturbed)
    {
        disturbed = false;
        int before = TorchThreads.OfCurrentThread();
        try
        {
            // Rounds over every count in turn, the best time of each count kept, so that a moment of load on the machine
            // does not decide alone; a count with more threads must be clearly faster to be chosen. The first round also
            // compares every count's bits with one thread's.
            float[][]? reference = null;
            var times = new Dictionary<int, double>();
            for (int round = 0; round < Rounds; round++)
            {
                for (int threads = 1; threads <= maxThreads; threads++)
                {
                    busyCores();
                    var gradients = Gradients(threads, layout, batchSize, compare: round == 0, out double ms);
                    disturbed |= busyCores() > threads + DisturbanceCores;
                    reference ??= gradients;
                    if (gradients is not null && !reference!.Zip(gradients).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second)))
                    {
                        return new ThreadChoice(false, maxThreads, new Dictionary<int, double>());
                    }

                    times[threads] = Math.Min(ms, times.GetValueOrDefault(threads, double.MaxValue));
                }
            }

            int fastest = 1;
            for (int threads = 2; threads <= maxThreads; threads++)
            {
                if (times[threads] < times[fastest] * (1 - MoreThreadsMargin))
                {
                    fastest = threads;
                }
            }

            return new ThreadChoice(true, fastest, times);
        }
        finally
        {
            TorchThreads.UseOnCurrentThread(before);
        }
    }

    /// <summary>The evaluation-mode output (validation runs with every available thread, so it must not depend on the count).</summary>
    private static float[] EvaluationLogits(MaskedMlp model, Tensor images)
    {
        model.eval();
        using var logits = model.forward(images);
        model.train();
        return logits.data<float>().ToArray();
    }

    /// <summary>The time per step with <paramref name="threads"/> threads, and when <paramref name="compare"/> the first
    /// step's gradients and running averages from a fixed start, and the evaluation logits (else null).</summary>
    private static float[][]? Gradients(int threads, MaskedMlp layout, int batchSize, bool compare, out double millisecondsPerStep)
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
        using var step = BackpropStep.Dense(model, new TrainingSpec(), ThreadBudget.Fixed(threads));
        step.Gradients(images, labels);
        float[][]? result = !compare ? null : [.. model.parameters().Select(p => p.grad!.data<float>().ToArray())
            .Concat(Enumerable.Range(0, model.HasBatchNorm ? model.LayerCount - 1 : 0)
                .SelectMany(l => new[] { model.Norm(l).running_mean!.data<float>().ToArray(), model.Norm(l).running_var!.data<float>().ToArray() }))
            .Append(EvaluationLogits(model, images))];

        step.Gradients(images, labels); // warm
        var clock = Stopwatch.StartNew();
        int steps = 0;
        while (steps < MinimumSteps || clock.Elapsed.TotalSeconds < MinimumSeconds)
        {
            using var stepScope = NewDisposeScope();
            step.Gradients(images, labels);
            steps++;
        }

        millisecondsPerStep = clock.Elapsed.TotalMilliseconds / steps;
        return result;
    }
}
