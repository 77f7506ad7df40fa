using Grid.Engine.Sweeps;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class SiloFailureTests
{
    [Fact]
    public async Task Killing_the_silo_that_trains_an_iteration_still_completes_the_sweep_without_retraining_finished_work()
    {
        await using var grid = await GridCluster.StartAsync("simulated", 0, 1, 1);
        string name = "silo-death";
        var held = new TaskCompletionSource<TrainingRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        RecordingTrainer.Gates[name + "-"] = (record, cancellationToken) =>
        {
            // Hold the first training of iteration 1 until its silo dies (the kill cancels the worker's jobs).
            if (record.Iteration == 1 && held.TrySetResult(record))
            {
                cancellationToken.WaitHandle.WaitOne(ProgressWait.EventBound);
                cancellationToken.ThrowIfCancellationRequested();
            }
        };
        try
        {
            var (coordinator, submitted, _) = await grid.SubmitAsync(TestSweeps.Simulated(name, iterations: 3, millisecondsPerIteration: 100, seeds: "[0]", fractions: "[1]"));
            var victim = await held.Task.WaitAsync(ProgressWait.EventBound);
            var handle = grid.Cluster.SecondarySilos.Single(s => s.Name == victim.Silo);

            await grid.Cluster.KillSiloAsync(handle);

            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish after the silo died");
            Assert.Equal(SweepState.Finished, status.State);
            Assert.Equal(3, status.FinishedIterations);
            var trainings = RecordingTrainer.For(submitted.Sweep!.Directory);
            Assert.Single(trainings, t => t.Iteration == 0);                       // finished before the kill: never again
            Assert.Equal(2, trainings.Count(t => t.Iteration == 1));               // interrupted, then trained again
            Assert.Single(trainings, t => t.Iteration == 1 && t.Result == "finished" && t.Silo != victim.Silo);
            Assert.Single(trainings, t => t.Iteration == 2);
            Assert.DoesNotContain(trainings, t => t.Silo == "Primary");
            var rows = CsvText.Parse(File.ReadAllText(Path.Combine(grid.Results, submitted.Sweep.Directory, SweepLayout.SummaryFile)));
            Assert.Equal(3, rows.Count(r => r[^1] == "finished"));
        }
        finally
        {
            RecordingTrainer.Gates.TryRemove(name + "-", out _);
        }
    }
}
