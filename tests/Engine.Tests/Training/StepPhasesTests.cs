using System.Diagnostics;
using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class StepPhasesTests
{
    [Fact]
    public void Phases_sum_in_the_order_they_first_ended_until_a_restart()
    {
        var phases = new StepPhases();
        var outside = Stopwatch.StartNew();
        phases.Restart();
        phases.Mark("a");
        SpinFor(milliseconds: 2);
        phases.Mark("b");
        SpinFor(milliseconds: 2);
        phases.Mark("a");
        double elapsed = outside.Elapsed.TotalMilliseconds;

        Assert.Equal(["a", "b"], phases.Sums.Select(s => s.Phase));
        Assert.All(phases.Sums, s => Assert.True(s.Milliseconds > 0, $"{s.Phase}: {s.Milliseconds} ms"));
        // Each interval counted once: together no longer than the time around them.
        Assert.InRange(phases.Sums.Sum(s => s.Milliseconds), 0, elapsed);

        phases.Restart();
        Assert.Empty(phases.Sums);
    }

    [Fact]
    public void A_timed_step_names_every_phase_in_order_and_trains_the_same_bits()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var data = new RandomBatchSource(20, 5);
        var spec = new TrainingSpec { BatchSize = 64, LearningRate = 0.1 };
        using var timedModel = Model();
        using var plainModel = Model();
        string[] kinds = [KernelKinds.Sparse, KernelKinds.Sparse, KernelKinds.Dense];
        using var timed = BackpropStep.Create(timedModel, spec, ThreadBudget.Fixed(2), kinds);
        using var plain = BackpropStep.Create(plainModel, spec, ThreadBudget.Fixed(2), kinds);
        var phases = new StepPhases();
        timed.Phases = phases;
        using var timedBatches = new Generator(5);
        using var plainBatches = new Generator(5);
        timedModel.train();
        plainModel.train();
        for (int i = 0; i < 3; i++)
        {
            var (images, labels) = data.TrainBatch(spec.BatchSize, timedBatches);
            timed.Run(images, labels);
            (images, labels) = data.TrainBatch(spec.BatchSize, plainBatches);
            plain.Run(images, labels);
        }

        Assert.Equal(
            ["layer 1 forward", "hidden 1 forward", "layer 2 forward", "hidden 2 forward", "layer 3 forward", "loss",
                "layer 3 backward", "hidden 2 backward", "layer 2 backward", "hidden 1 backward", "layer 1 backward", "freeing activations", "update"],
            phases.Sums.Select(s => s.Phase));
        Assert.True(phases.Sums.Sum(s => s.Milliseconds) > 0);
        var timedParameters = timedModel.parameters().ToList();
        var plainParameters = plainModel.parameters().ToList();
        for (int i = 0; i < timedParameters.Count; i++)
        {
            Assert.True(timedParameters[i].data<float>().SequenceEqual(plainParameters[i].data<float>()), $"parameter {i} differs when timed");
        }
    }

    /// <summary>Lets at least this much time pass (intervals long enough that counting one twice would show).</summary>
    private static void SpinFor(int milliseconds)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < milliseconds)
        {
        }
    }

    private static MaskedMlp Model()
    {
        var model = new MaskedMlp(20, new NetworkSpec { Hidden = [16, 12] }, 5, 0.9, CPU);
        using var generator = new Generator(11);
        model.Initialise(generator);
        model.SetMasks([.. model.LayerWidths.Zip(model.LayerWidths.Skip(1), (inputs, outputs) =>
            arange(outputs * inputs).remainder(3).ne(0).to_type(float32).reshape(outputs, inputs))]);
        return model;
    }
}
