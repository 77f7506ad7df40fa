using System.Diagnostics;
using System.Globalization;
using Grid.Bench.Commands;
using Grid.Engine.Data;
using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using Grid.Engine.Training.Bundles;
using static TorchSharp.torch;
using static Grid.Engine.Numerics.Statistics;

namespace Grid.Bench;

/// <summary>
/// Fused training (issue 14): training steps of K runs of one shape as one bundle (<see cref="BundledStep"/>) against
/// the same K runs' steps one at a time on the solo path (<see cref="BackpropStep"/> with the kernels the cost model
/// picks), on synthetic data, in interleaved repetitions on a slot thread. A step is the whole training step: each
/// member's batch drawn and normalised, forward, backward, update (no validation). Prints per repetition and as median
/// [min–max]: solo steps/s, the bundle's aggregate steps/s (K x steps / s) and their ratio, at 1 and 2 threads each,
/// and the ratio of the bundle's best thread count to the solo path's best.
/// </summary>
public static class BundleBenchmark
{
    private sealed record Case(string Name, int Inputs, int[] Hidden, int Classes, int Batch, int K, int Steps, double Goal);

    private static readonly Case[] Cases =
    [
        new("small", 784, [128, 128, 128], 10, 100, 8, 200, 3.0),
        new("fashion", 784, [1024, 1024, 1024], 10, 1000, 4, 6, 1.1),
        new("paper", 3072, [1024, 1024, 1024], 1000, 1000, 2, 5, 1.0),
    ];

    public static void Run(BundleSettings settings)
    {
        int repetitions = settings.Repetitions;
        int[] threadCounts = settings.ThreadCounts;
        string threadList = string.Join(',', threadCounts);
        var cases = Selected(settings);
        var thread = new Thread(() =>
        {
            TorchRuntime.EnsureLoaded();
            Console.WriteLine($"host: {HostProfile.Cpu}; load average {Machine.LoadAverage()}; {repetitions} interleaved repetitions per thread count; threads {threadList}");
            TorchThreads.UseOnCurrentThread(threadCounts.Max());
            double roofline = MatmulRoofline.MeasureGflops(CPU);
            Console.WriteLine(FormattableString.Invariant($"fp32 matmul roofline (2048^3, best of 10 warm runs, {threadCounts.Max()} threads): {roofline:F1} GFLOP/s"));
            foreach (var workload in cases)
            {
                Measure(workload, repetitions, threadCounts, roofline);
            }

            Console.WriteLine($"load average at the end {Machine.LoadAverage()}");
        })
        { Name = "bundle benchmark slot" };
        thread.Start();
        thread.Join();
    }

    private static IEnumerable<Case> Selected(BundleSettings settings)
    {
        string? only = settings.Only;
        int[] widths = settings.Hidden;
        if (widths.Length > 0)
        {
            return [new Case("custom", settings.Inputs, widths, settings.Classes, settings.Batch, settings.K ?? 8, settings.Steps ?? 20, double.NaN)];
        }

        return [.. Cases.Where(c => only is null || c.Name == only).Select(c => c with
        {
            K = settings.K ?? c.K,
            Steps = settings.Steps ?? c.Steps,
        })];
    }

    private static void Measure(Case workload, int repetitions, int[] threadCounts, double roofline)
    {
        string layout = $"{workload.Inputs}-{workload.Hidden[0]}x{workload.Hidden.Length}-{workload.Classes}";
        Console.WriteLine($"\n{workload.Name}: {layout}, batch {workload.Batch}, K = {workload.K}, SGD, {workload.Steps} steps per member per timing");
        var shape = ShapeOf(workload.Inputs);
        var split = SyntheticData.Split(shape, workload.Classes, trainCount: Math.Max(4 * workload.Batch, 2000), validationCount: workload.Batch);
        var spec = new TrainingSpec { BatchSize = workload.Batch, Steps = workload.Steps, ValidateEvery = workload.Steps, LearningRate = 0.01 };
        var network = new NetworkSpec { Hidden = workload.Hidden };
        var sources = Enumerable.Range(0, workload.K).Select(_ => new DatasetBatchSource(split, CPU, transform: null)).ToArray();
        var solos = Enumerable.Range(0, workload.K).Select(k => Model(workload, network, k)).ToArray();
        var members = Enumerable.Range(0, workload.K).Select(k => Model(workload, network, k)).ToArray();
        using var bundle = BundledMlp.Bundle(members);
        var generators = Enumerable.Range(0, workload.K).Select(k => new Generator((ulong)(100 + k))).ToArray();
        var bundleMembers = Enumerable.Range(0, workload.K).Select(k => new BundleMember(spec, sources[k], members[k], generators[k], [], null)).ToList();
        var soloKernels = KernelPlan.For(solos[0], spec);
        Console.WriteLine($"solo kernels (cost model): {string.Join(',', soloKernels)}; bundle: dense (bmm)");
        Console.WriteLine($"{"threads",7} {"rep",3} {"solo steps/s",13} {"bundle agg. steps/s",20} {"ratio",7}");

        var best = new Dictionary<string, List<double>> { ["solo"] = [], ["bundle"] = [] };
        var perThreads = new List<(int Threads, List<double> Solo, List<double> Bundle)>();
        foreach (int threads in threadCounts)
        {
            TorchThreads.UseOnCurrentThread(threads);
            var budget = ThreadBudget.Fixed(threads);
            budget.EnsureStarted();
            var soloRates = new List<double>();
            var bundleRates = new List<double>();
            using var bundled = BundledStep.Create(bundle, spec, budget);
            var soloSteps = solos.Select(m => BackpropStep.Create(m, spec, budget, soloKernels)).ToArray();
            SoloSeconds(soloSteps, sources, generators, spec.BatchSize, 2); // warm
            BundleSeconds(bundled, bundleMembers, spec.BatchSize, 2);
            for (int rep = 0; rep < repetitions; rep++)
            {
                // alternate which goes first, so that a drift in the machine's speed does not favour one
                double solo, fused;
                if (rep % 2 == 0)
                {
                    solo = SoloSeconds(soloSteps, sources, generators, spec.BatchSize, workload.Steps);
                    fused = BundleSeconds(bundled, bundleMembers, spec.BatchSize, workload.Steps);
                }
                else
                {
                    fused = BundleSeconds(bundled, bundleMembers, spec.BatchSize, workload.Steps);
                    solo = SoloSeconds(soloSteps, sources, generators, spec.BatchSize, workload.Steps);
                }

                double soloRate = workload.K * workload.Steps / solo, bundleRate = workload.K * workload.Steps / fused;
                soloRates.Add(soloRate);
                bundleRates.Add(bundleRate);
                Console.WriteLine(FormattableString.Invariant($"{threads,7} {rep + 1,3} {soloRate,13:F1} {bundleRate,20:F1} {bundleRate / soloRate,7:F2}"));
            }

            foreach (var step in soloSteps)
            {
                step.Dispose();
            }

            perThreads.Add((threads, soloRates, bundleRates));
            Console.WriteLine(FormattableString.Invariant(
                $"{threads} thread(s): solo {Summary(soloRates)} steps/s, bundle {Summary(bundleRates)} steps/s, ratio {Summary([.. soloRates.Zip(bundleRates, (s, b) => b / s)], "F2")}"));
        }

        var bestSolo = perThreads.MaxBy(p => Median(p.Solo));
        var bestBundle = perThreads.MaxBy(p => Median(p.Bundle));
        double ratio = Median(bestBundle.Bundle) / Median(bestSolo.Solo);
        double low = bestBundle.Bundle.Min() / bestSolo.Solo.Max(), high = bestBundle.Bundle.Max() / bestSolo.Solo.Min();
        string goal = double.IsNaN(workload.Goal) ? "" : FormattableString.Invariant($" (goal >= {workload.Goal:F1}: {(ratio >= workload.Goal ? "met" : "not met")})");
        Console.WriteLine(FormattableString.Invariant(
            $"{workload.Name}: best solo {Median(bestSolo.Solo):F1} steps/s ({bestSolo.Threads} thread(s)), best bundle {Median(bestBundle.Bundle):F1} ({bestBundle.Threads}): x{ratio:F2} [x{low:F2}–x{high:F2} over all pairs]{goal}"));
        double flops = ProductFlops(workload), soloGflops = Median(bestSolo.Solo) * flops / 1e9, bundleGflops = Median(bestBundle.Bundle) * flops / 1e9;
        string needs = double.IsNaN(workload.Goal) ? "" : FormattableString.Invariant($"; the goal needs {workload.Goal * soloGflops:F1} GFLOP/s, {workload.Goal * soloGflops / roofline:P0} of it");
        Console.WriteLine(FormattableString.Invariant(
            $"{workload.Name}: {flops / 1e6:F1} MFLOP of products per member step; best solo {soloGflops:F1} GFLOP/s, {soloGflops / roofline:P0} of the roofline probe; best bundle {bundleGflops:F1}, {bundleGflops / roofline:P0}{needs}"));

        foreach (var model in solos.Concat(members))
        {
            model.Dispose();
        }

        foreach (var disposable in sources.Cast<IDisposable>().Concat(generators))
        {
            disposable.Dispose();
        }
    }

    /// <summary>Seconds for <paramref name="steps"/> steps of every solo run, one run after the other (as K slots'
    /// worth of work done by one slot).</summary>
    private static double SoloSeconds(BackpropStep[] steps, DatasetBatchSource[] sources, Generator[] generators, int batch, int count)
    {
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < steps.Length; k++)
        {
            Tensor? last = null;
            for (int i = 0; i < count; i++)
            {
                using var scope = NewDisposeScope();
                var (images, labels) = sources[k].TrainBatch(batch, generators[k]);
                var (loss, _) = steps[k].Run(images, labels);
                last = i == count - 1 ? loss.MoveToOuterDisposeScope() : null;
            }

            using (last)
            {
                _ = last!.item<float>();
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static double BundleSeconds(BundledStep step, IReadOnlyList<BundleMember> members, int batch, int count)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            using var scope = NewDisposeScope();
            var (images, labels) = BundledBatch.Draw(members, batch);
            var (loss, _) = step.Run(images, labels);
            if (i == count - 1)
            {
                _ = loss.sum().item<float>();
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Flops of a member's step in its matrix products alone: per layer the forward product and the weight
    /// gradient, and the input gradient for every layer but the first, 2 flops per multiply-add.</summary>
    private static double ProductFlops(Case workload)
    {
        int[] widths = [workload.Inputs, .. workload.Hidden, workload.Classes];
        double multiplyAdds = 0;
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            multiplyAdds += (double)widths[l] * widths[l + 1] * (l == 0 ? 2 : 3);
        }

        return 2 * multiplyAdds * workload.Batch;
    }

    private static MaskedMlp Model(Case workload, NetworkSpec network, int seed)
    {
        var model = new MaskedMlp(workload.Inputs, network, workload.Classes, 0.99, CPU);
        using var generator = new Generator((ulong)(seed + 1));
        model.Initialise(generator);
        model.train();
        return model;
    }

    private static ImageShape ShapeOf(int inputs) => inputs switch
    {
        784 => new ImageShape(1, 28, 28),
        3072 => new ImageShape(3, 32, 32),
        _ => new ImageShape(1, 1, inputs),
    };

    private static string Summary(IReadOnlyList<double> values, string format = "F1") =>
        string.Create(CultureInfo.InvariantCulture, $"{Median(values).ToString(format, CultureInfo.InvariantCulture)} [{values.Min().ToString(format, CultureInfo.InvariantCulture)}–{values.Max().ToString(format, CultureInfo.InvariantCulture)}]");
}
