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
    public static double Milliseconds(BackpropStep step, MaskedMlp model, IBatchSource source, int batch, Generator generator, int steps, int warmSteps)
    {
        model.train();
        for (int i = 0; i < warmSteps; i++)
        {
            using var warm = NewDisposeScope();
            var (images, labels) = source.TrainBatch(batch, generator);
            step.Run(images, labels);
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var (images, labels) = source.TrainBatch(batch, generator);
            var (loss, _) = step.Run(images, labels);
            if (i == steps - 1)
            {
                _ = loss.item<float>();
            }
        }

        return clock.Elapsed.TotalMilliseconds / steps;
    }
}
