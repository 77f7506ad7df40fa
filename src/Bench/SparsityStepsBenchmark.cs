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
/// Does a step get slower as the network gets sparser (issue 13 §2)? LeNet-300-100 on MNIST-shaped data (784-300-100-10,
/// no BatchNorm, Adam 1.2e-3, batch 60), the training step (batch, forward, backward, update) at each density of IMP's
/// first iterations (random masks, output layer unpruned), with each thread count and kernel setting. Every case runs once
/// per round, in an order that rotates, so that the machine's state is shared; per case the median ms per step and the
/// median [min–max] of the rounds' ratios to the first density with the same threads and kernels, then per density the
/// ratio of the fewest threads to the most.
/// </summary>
public static class SparsityStepsBenchmark
{
    private static readonly ImageShape Shape = new(1, 28, 28);
    private const int Classes = 10;
    private const int Batch = 60;
    private const int WarmSteps = 5;

    private sealed record Case(double Density, int Threads, string Kernel) : IDisposable
    {
        public required MaskedMlp Model { get; init; }

        public required BackpropStep Step { get; init; }

        public List<double> Milliseconds { get; } = [];

        public void Dispose()
        {
            Step.Dispose();
            Model.Dispose();
        }
    }

    public static void Run(SparsityStepsSettings settings)
    {
        var thread = new Thread(() => Measure(settings)) { Name = "sparsity-steps slot" };
        thread.Start();
        thread.Join();
    }

    private static void Measure(SparsityStepsSettings settings)
    {
        TorchRuntime.EnsureLoaded();
        var spec = new TrainingSpec { Optimizer = Optimizers.Adam, LearningRate = 0.0012, BatchSize = Batch, Steps = settings.Steps, ValidateEvery = settings.Steps };
        var source = new DatasetBatchSource(SyntheticData.Split(Shape, Classes, trainCount: 10_000, validationCount: Batch), CPU, transform: null);
        var cases = (from u in settings.Densities
                     from kernel in settings.Kernels
                     from threads in settings.ThreadCounts
                     select NewCase(u, threads, kernel, spec)).ToList();
        try
        {
            Console.WriteLine($"host: {HostProfile.Cpu}; LeNet-300-100, Adam, batch {Batch}; {settings.Rounds} rounds of {settings.Steps} steps per case; load average {Machine.LoadAverage()}");
            using var generator = new Generator(3);
            for (int round = 0; round < settings.Rounds; round++)
            {
                for (int i = 0; i < cases.Count; i++)
                {
                    var next = cases[(round + i) % cases.Count];
                    next.Milliseconds.Add(StepMilliseconds(next, source, generator, settings.Steps));
                }
            }

            Report(cases, settings);
        }
        finally
        {
            cases.ForEach(c => c.Dispose());
        }
    }

    private static Case NewCase(double u, int threads, string kernel, TrainingSpec spec)
    {
        var model = new MaskedMlp(Shape.Features, new NetworkSpec { Hidden = [300, 100], BatchNorm = false }, Classes, 0.99, CPU);
        using var generator = new Generator(1);
        model.Initialise(generator);
        if (u < 1)
        {
            model.SetMasks(RandomMasks.At(model, u, generator));
        }

        var kinds = KernelPlan.For(model, spec with { Kernel = kernel });
        return new Case(u, threads, kernel) { Model = model, Step = BackpropStep.Create(model, spec, ThreadBudget.Fixed(threads), kinds) };
    }

    /// <summary>ms per step of the case's own step, after a few untimed steps at its thread count.</summary>
    private static double StepMilliseconds(Case run, IBatchSource source, Generator generator, int steps)
    {
        TorchThreads.UseOnCurrentThread(run.Threads);
        return StepTiming.Milliseconds(run.Step, run.Model, source, Batch, generator, steps, WarmSteps);
    }

    private static void Report(List<Case> cases, SparsityStepsSettings settings)
    {
        double baseline = settings.Densities[0];
        Console.WriteLine($"{"u",7} {"kernel",6} {"threads",7} {"ms",7}  {"x u = " + baseline.ToString("P0", CultureInfo.InvariantCulture),-22} kernels");
        foreach (var run in cases)
        {
            var reference = cases.First(c => c.Density == baseline && c.Threads == run.Threads && c.Kernel == run.Kernel);
            Console.WriteLine(FormattableString.Invariant(
                $"{run.Density,7:P1} {run.Kernel,6} {run.Threads,7} {Statistics.Median(run.Milliseconds),7:F3}  {PairedRatios.Describe(run.Milliseconds, reference.Milliseconds),-22} {string.Join(',', run.Step.Kinds)}"));
        }

        int fewest = settings.ThreadCounts.Min(), most = settings.ThreadCounts.Max();
        if (fewest != most)
        {
            Console.WriteLine($"\n{fewest} thread(s) against {most}:");
            foreach (var run in cases.Where(c => c.Threads == fewest))
            {
                var other = cases.First(c => c.Density == run.Density && c.Kernel == run.Kernel && c.Threads == most);
                Console.WriteLine(FormattableString.Invariant($"{run.Density,7:P1} {run.Kernel,6}  {PairedRatios.Describe(run.Milliseconds, other.Milliseconds)}"));
            }
        }

        Console.WriteLine($"load average {Machine.LoadAverage()}");
    }
}
