using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Grains.Training;

namespace Grid.Tests.Support;

/// <summary>
/// Stands in for the engine in grid tests: an iteration "trains" for training.steps milliseconds (reporting
/// progress, honouring cancellation), then writes iter-NNN/summary.json through the engine's own RunDirectory.
/// Like the engine, iterations run 0..pruning.max_iterations; u = (1 - rate)^iteration.
/// </summary>
public sealed class SimulatedTrainer : IIterationTrainer
{
    public IterationOutcome? ReadFinished(string runDirectory, int iteration) =>
        Directory.Exists(runDirectory) ? new RunDirectory(runDirectory).ReadOutcome(iteration) : null;

    public IterationOutcome Train(ExperimentSpec spec, string runDirectory, int iteration, TrainingSlot slot, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        var run = new RunDirectory(runDirectory);
        run.Claim(spec);
        if (iteration > 0 && run.ReadOutcome(iteration - 1) is null)
        {
            throw new InvalidOperationException($"iteration {iteration} before {iteration - 1} finished");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        double u = Math.Pow(1 - spec.Pruning.Rate, iteration);
        int total = spec.Training.Steps;
        for (int step = 0; step < total; step += 10)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.Sleep(10);
            progress.Report(new TrainingProgress(iteration, step + 10, total, 1.0 / (step + 10), 0.5, 0.5, u, clock.Elapsed));
        }

        cancellationToken.ThrowIfCancellationRequested();
        bool last = iteration >= spec.Pruning.MaxIterations;
        var outcome = new IterationOutcome
        {
            Iteration = iteration,
            UnprunedFraction = u,
            LayerUnprunedFractions = [.. spec.Network.Hidden.Select(_ => u), 1.0],
            BestValAccuracy = 0.8 + 0.01 * iteration + 0.001 * spec.Seed,
            BestValTop5 = 0.95,
            BestStep = total,
            FinalTrainLoss = 0.1,
            TrainSeconds = clock.Elapsed.TotalSeconds,
            IsLast = last,
            StopReason = last ? "max_iterations" : null,
            Files = [], // it writes no artifact files, and records so (results without a record are checked for the engine's)
        };
        run.WriteOutcome(outcome);
        return outcome;
    }
}
