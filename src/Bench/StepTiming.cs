using System.Diagnostics;
using Grid.Engine.Model;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>The benchmarks' clock for a training step: ms per step of a <see cref="BackpropStep"/> over batches drawn
/// from a source, after untimed warm steps, the last loss read back so that queued work has finished.</summary>
public static class StepTiming
{
    /// <param name="phases">When given, the timed steps' phases are summed into it: drawing the batch (with freeing the
    /// previous step's tensors) as "batch", then the step's own (<see cref="BackpropStep.Phases"/>). A sparse first layer
    /// normalises the images itself (<see cref="DrawnBatch"/>), in its forward phase.</param>
    public static double Milliseconds(BackpropStep step, MaskedMlp model, IBatchSource source, int batch, Generator generator, int steps, int warmSteps, StepPhases? phases = null)
    {
        model.train();
        for (int i = 0; i < warmSteps; i++)
        {
            using var warm = NewDisposeScope();
            step.Run(source.DrawTrainBatch(batch, generator));
        }

        step.Phases = phases;
        phases?.Restart();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var drawn = source.DrawTrainBatch(batch, generator);
            phases?.Mark("batch");
            var (loss, _) = step.Run(drawn);
            if (i == steps - 1)
            {
                _ = loss.item<float>();
            }
        }

        double milliseconds = clock.Elapsed.TotalMilliseconds / steps;
        step.Phases = null;
        return milliseconds;
    }
}
