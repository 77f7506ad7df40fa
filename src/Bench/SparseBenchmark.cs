using System.Globalization;
using Grid.Bench.Commands;
using Grid.Engine.Data;
using Grid.Engine.Model;
using Grid.Engine.Numerics;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>
/// What sparse training saves along an IMP schedule: the training step (batch, forward, backward, update) of a network
/// whose prunable layers keep u = 0.7^n of their weights (random masks, output layer dense), with every layer dense and
/// with <c>training.kernel: auto</c> (the host's cost model picks sparse where it is faster), measured in interleaved
/// pairs on a slot thread with the grid's thread budget. Prints per u the step times, their ratio and the kernels chosen,
/// then the ratios at u = 10% and 1%, the whole schedule's cost against all-dense, the crossover u, and the roofline
/// probe with the processor's theoretical peak.
/// </summary>
public static partial class SparseBenchmark
{
    /// <param name="Goals">Issue 13 sets goals for it; a network without (the quickstart's) runs only when named.</param>
    private sealed record Network(string Name, ImageShape Shape, int[] Hidden, int Classes, int Batch, bool Goals = true);

    private static readonly Network[] Networks =
    [
        new("paper", new ImageShape(3, 32, 32), [1024, 1024, 1024], 1000, 1000),
        new("fashion", new ImageShape(1, 28, 28), [1024, 1024, 1024], 10, 1000),
        new("quickstart", new ImageShape(1, 28, 28), [128, 128, 128], 10, 100, Goals: false),
    ];

    public static void Run(SparseSettings settings)
    {
        int steps = settings.Steps;
        int iterations = settings.Iterations;
        string? only = settings.Only;
        double? density = settings.Density;
        bool packedAb = settings.PackedAb, lossAb = settings.LossAb, autoOnly = settings.AutoOnly, phases = settings.Phases;
        int rounds = settings.Rounds;
        var thread = new Thread(() =>
        {
            var budget = ThreadBudget.ForSlot(slots: 1);
            budget.EnsureStarted();
            Console.WriteLine($"host: {HostProfile.Cpu}; slot threads {budget.Max}; host profile {HostProfile.Default.Path ?? "(memory only)"}; load average {Machine.LoadAverage()}");
            Console.WriteLine($"{EngineBenchmark.MklLinePrefix}{MklDispatch.Describe()}");
            MatmulRoofline.Print(budget.Max);
            foreach (var network in Networks.Where(n => only is null ? n.Goals : n.Name == only))
            {
                double[] densities = density is { } one ? [one] : [0.0023, 0.01, 0.1, 0.343];
                if (packedAb || lossAb)
                {
                    foreach (double u in densities)
                    {
                        if (packedAb)
                        {
                            CompareSteps(network, steps, u, budget, rounds, ("packed", "unpacked"), (model, spec, kinds) => new BackpropStep(model, spec,
                                new UnpackedHiddenKernel(BackpropStep.HiddenKernelFor(model, budget)), BackpropStep.LayerKernels(model, spec, budget, kinds), BackpropStep.LossFor(model, budget)));
                        }

                        if (lossAb)
                        {
                            CompareSteps(network, steps, u, budget, rounds, ("SIMD loss", "libtorch loss"), (model, spec, kinds) => new BackpropStep(model, spec,
                                BackpropStep.HiddenKernelFor(model, budget), BackpropStep.LayerKernels(model, spec, budget, kinds), SoftmaxCrossEntropy.Tensors));
                        }
                    }
                }
                else if (density is { } u)
                {
                    if (phases)
                    {
                        MeasurePhases(network, steps, u, budget, rounds);
                    }
                    else
                    {
                        MeasureOne(network, steps, u, budget, autoOnly);
                    }
                }
                else
                {
                    Measure(network, steps, iterations, budget);
                }
            }
        })
        { Name = "sparse benchmark slot" };
        thread.Start();
        thread.Join();
    }

    private static void Measure(Network network, int steps, int iterations, ThreadBudget budget)
    {
        var source = Batches(network);
        string layout = $"{network.Shape.Features}-{network.Hidden[0]}x{network.Hidden.Length}-{network.Classes}";
        Console.WriteLine($"\n{network.Name}: {layout}, batch {network.Batch}, SGD, {steps} timed steps per point (best of 3 rounds)");
        Console.WriteLine($"{"n",3} {"u",9} {"dense ms",9} {"auto ms",9} {"auto/dense",11}  kernels");
        double? crossover = null;
        var points = new List<MeasuredPoint>();
        foreach (double u in new[] { 0.1, 0.01 }.Concat(Enumerable.Range(0, iterations).Select(n => Math.Pow(0.7, n))).Distinct().OrderDescending())
        {
            var (dense, auto, autoKinds) = BestOfThree(network, steps, u, budget, source, withDense: true);

            bool onSchedule = Enumerable.Range(0, iterations).Any(n => Math.Abs(Math.Pow(0.7, n) - u) < 1e-12);
            int index = onSchedule ? (int)Math.Round(Math.Log(u) / Math.Log(0.7)) : -1;
            points.Add(new(u, dense, auto, onSchedule));
            if (autoKinds[0] == KernelKinds.Sparse && crossover is null)
            {
                crossover = u;
            }

            Console.WriteLine(FormattableString.Invariant(
                $"{(onSchedule ? index.ToString(CultureInfo.InvariantCulture) : "-"),3} {u,9:P2} {dense,9:F1} {auto,9:F1} {auto / dense,11:F3}  {string.Join(',', autoKinds)}"));
        }

        var schedule = points.Where(p => p.OnSchedule).ToList();
        double denseSum = schedule.Sum(p => p.Dense), autoSum = schedule.Sum(p => p.Auto);
        double Ratio(double u) => points.Single(p => p.U == u).Ratio;
        string Goal(string goal) => network.Goals ? $" (goal <= {goal})" : "";
        Console.WriteLine(FormattableString.Invariant($"{network.Name}: step at u = 10%: x{Ratio(0.1):F3} of dense{Goal("0.6")}; at u = 1%: x{Ratio(0.01):F3}{Goal("0.25")}"));
        Console.WriteLine(FormattableString.Invariant($"{network.Name}: IMP schedule u = 0.7^n, n = 0..{iterations - 1}: {autoSum:F0} ms against {denseSum:F0} ms all-dense = x{autoSum / denseSum:F3}{Goal("0.4")}"));
        Console.WriteLine($"{network.Name}: the cost model trains layer 1 sparse from u = {(crossover is { } c ? c.ToString("P2", CultureInfo.InvariantCulture) : "never")} down");
        PrintBound(network, steps, budget, source, points);
    }

    /// <summary>One density of <see cref="Measure"/>: the best dense and auto step (ms), and whether u is on the schedule.</summary>
    private sealed record MeasuredPoint(double U, double Dense, double Auto, bool OnSchedule)
    {
        public double Ratio => Auto / Dense;
    }

    /// <summary>One density only (e.g. to profile a step): dense and auto kernels, best of 3 rounds.</summary>
    private static void MeasureOne(Network network, int steps, double u, ThreadBudget budget, bool autoOnly)
    {
        var source = Batches(network);
        var (dense, auto, autoKinds) = BestOfThree(network, steps, u, budget, source, withDense: !autoOnly);
        Console.WriteLine(FormattableString.Invariant(
            $"{network.Name}: u = {u:P2}: {(autoOnly ? "" : $"dense {dense:F1} ms, ")}auto {auto:F1} ms{(autoOnly ? "" : $", x{auto / dense:F3}")} ({string.Join(',', autoKinds)}; {budget.Threads} threads)"));
    }

    /// <summary>The best of 3 interleaved rounds of dense and auto steps of the network at density u (random masks).</summary>
    private static (double Dense, double Auto, IReadOnlyList<string> AutoKinds) BestOfThree(Network network, int steps, double u, ThreadBudget budget, IBatchSource source, bool withDense)
    {
        var spec = Spec(network, steps);
        using var model = MaskedModel(network, u, budget);
        var autoKinds = KernelPlan.For(model, spec with { Kernel = KernelKinds.Auto });
        double dense = double.MaxValue, auto = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            if (withDense)
            {
                dense = Math.Min(dense, StepMilliseconds(model, spec, budget, [.. Enumerable.Repeat(KernelKinds.Dense, model.LayerCount)], source, steps));
            }

            auto = Math.Min(auto, StepMilliseconds(model, spec, budget, autoKinds, source, steps));
        }

        return (dense, auto, autoKinds);
    }

    /// <summary>
    /// The engine's step (the kernels auto picks at density u) against <paramref name="other"/>, a variant of it:
    /// alternating rounds of <paramref name="steps"/> steps, each first in every other round; median ms and the median of
    /// the rounds' ratios [min–max]. Variants: the hidden layers not writing the sparse layers' activations packed
    /// (<c>--packed-ab</c>), libtorch's softmax cross-entropy (<c>--loss-ab</c>).
    /// </summary>
    private static void CompareSteps(Network network, int steps, double u, ThreadBudget budget, int rounds, (string Engine, string Other) names,
        Func<MaskedMlp, TrainingSpec, IReadOnlyList<string>, BackpropStep> other)
    {
        var source = Batches(network);
        var spec = Spec(network, steps);
        using var model = MaskedModel(network, u, budget);
        var kinds = KernelPlan.For(model, spec with { Kernel = KernelKinds.Auto });
        using var engine = BackpropStep.Create(model, spec, budget, kinds);
        using var variant = other(model, spec, kinds);
        var engineTimes = new List<double>();
        var otherTimes = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            bool engineFirst = round % 2 == 0;
            double first = StepMilliseconds(engineFirst ? engine : variant, model, spec, source, steps);
            double second = StepMilliseconds(engineFirst ? variant : engine, model, spec, source, steps);
            engineTimes.Add(engineFirst ? first : second);
            otherTimes.Add(engineFirst ? second : first);
        }

        Console.WriteLine(FormattableString.Invariant(
            $"{network.Name}: u = {u:P2} ({string.Join(',', kinds)}; {budget.Threads} threads): {names.Engine} {Statistics.Median(engineTimes):F1} ms, {names.Other} {Statistics.Median(otherTimes):F1} ms, {PairedRatios.Describe(engineTimes, otherTimes)}; load average {Machine.LoadAverage()}"));
    }

    private static double StepMilliseconds(MaskedMlp model, TrainingSpec spec, ThreadBudget budget, IReadOnlyList<string> kinds, IBatchSource source, int steps)
    {
        using var step = BackpropStep.Create(model, spec, budget, kinds);
        return StepMilliseconds(step, model, spec, source, steps);
    }

    /// <summary>ms per step of <paramref name="step"/> after two warm steps, on the same batches every call (its phases
    /// timed into <paramref name="phases"/> when given).</summary>
    private static double StepMilliseconds(BackpropStep step, MaskedMlp model, TrainingSpec spec, IBatchSource source, int steps, StepPhases? phases = null)
    {
        using var generator = new Generator(3);
        return StepTiming.Milliseconds(step, model, source, spec.BatchSize, generator, steps, warmSteps: 2, phases);
    }

    /// <summary>SGD at the network's batch size, for <paramref name="steps"/> steps (the benchmarks time steps, never validate).</summary>
    private static TrainingSpec Spec(Network network, int steps) =>
        new() { BatchSize = network.Batch, Steps = steps, ValidateEvery = steps, LearningRate = 0.1 };

    private static DatasetBatchSource Batches(Network network) =>
        new(SyntheticData.Split(network.Shape, network.Classes, trainCount: 10_000, validationCount: network.Batch), CPU, transform: null);

    /// <summary>The network initialised with random masks at density u (output layer unpruned), and the budget's thread
    /// ceiling calibrated for it.</summary>
    private static MaskedMlp MaskedModel(Network network, double u, ThreadBudget budget)
    {
        var model = new MaskedMlp(network.Shape.Features, new NetworkSpec { Hidden = network.Hidden }, network.Classes, 0.99, CPU);
        using var generator = new Generator(1);
        model.Initialise(generator);
        model.SetMasks(RandomMasks.At(model, u, generator));
        budget.UseCeiling(ThreadCalibration.For(model, network.Batch, budget.Max).Fastest);
        return model;
    }
}
