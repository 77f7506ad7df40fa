using System.Diagnostics;
using Grid.Bench.Commands;
using Grid.Engine.Data;
using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>
/// The process the contention benchmark times: one quickstart-size training iteration (784-128x3-10 with BN, batch 100,
/// SGD) on a slot-like thread, with the grid's thread budget (adaptive) or libtorch's (all cores, fixed). With
/// <c>--forever</c> it trains until killed: the competing "second grid run".
/// </summary>
public static class ContentionTrainer
{
    public static void Run(ContentionTrainSettings settings)
    {
        int steps = settings.Steps;
        bool adaptive = settings.Adaptive;
        bool forever = settings.Forever;
        TorchRuntime.EnsureLoaded();
        var shape = new ImageShape(1, 28, 28);
        var source = new DatasetBatchSource(SyntheticData.Split(shape, 10, trainCount: 20_000, validationCount: 1000), CPU, transform: null);
        var budget = adaptive ? ThreadBudget.ForSlot(slots: 1) : ThreadBudget.Fixed(Environment.ProcessorCount);
        var thread = new Thread(() =>
        {
            budget.EnsureStarted();
            using var model = new MaskedMlp(shape.Features, new NetworkSpec { Hidden = [128, 128, 128] }, 10, 0.99, CPU);
            using var generator = new Generator(1);
            model.Initialise(generator);
            var spec = new TrainingSpec { BatchSize = 100, Steps = steps, ValidateEvery = steps, LearningRate = 0.1 };
            new Trainer(spec with { Steps = 20, ValidateEvery = 20 }, source, budget).Train(model, generator, [], null, CancellationToken.None);
            Console.WriteLine("ready");
            do
            {
                var clock = Stopwatch.StartNew();
                new Trainer(spec, source, budget).Train(model, generator, [], null, CancellationToken.None);
                Console.WriteLine(FormattableString.Invariant($"trained {steps} steps in {clock.Elapsed.TotalSeconds:F3} s, threads {budget.Threads} (changed {budget.Changes} times)"));
            }
            while (forever);
        })
        { Name = "contention slot" };
        thread.Start();
        thread.Join();
    }
}
