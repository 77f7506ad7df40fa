using Grid.Analysis.Runs;
using Grid.Engine.Runs;
using Grid.Engine.Sweeps;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>End to end with the real engine and the analysis registry: tiny nets on a 2% slice of Fashion-MNIST.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EngineSweepTests
{
    [Fact]
    public async Task A_tiny_real_sweep_trains_on_the_engine_and_resumes_without_retraining()
    {
        await using var grid = await GridCluster.StartAsync("engine", 0, 1, 1);
        string yaml = TestSweeps.Tiny("engine-tiny");
        var (coordinator, submitted, file) = await grid.SubmitAsync(yaml);

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.True(status.State == SweepState.Finished, string.Join("; ", status.Runs.Select(r => r.Error)));
        string sweepDirectory = Path.Combine(grid.Results, submitted.Sweep!.Directory);
        int iterations = 0;
        foreach (var run in file.Runs)
        {
            var outcomes = RunExecutor.FinishedIterations(Path.Combine(sweepDirectory, SweepLayout.RunDirectory(run.Hash)));
            Assert.NotEmpty(outcomes);
            Assert.True(outcomes[^1].IsLast);
            Assert.InRange(outcomes.Count, 1, 3); // iterations 0..max_iterations (2)
            iterations += outcomes.Count;
            string analysis = AnalysisLayout.Root(Path.Combine(sweepDirectory, SweepLayout.RunDirectory(run.Hash)));
            Assert.True(Directory.Exists(analysis), "the default analyses ran before the sweep finished");
            Assert.NotEmpty(Directory.GetFiles(analysis, "*.done.json", SearchOption.AllDirectories));
        }

        var trainings = RecordingTrainer.For(submitted.Sweep.Directory);
        Assert.Equal(iterations, trainings.Count);
        Assert.DoesNotContain(trainings, t => t.Silo == "Primary");
        var rows = CsvText.Parse(File.ReadAllText(Path.Combine(sweepDirectory, SweepLayout.SummaryFile)));
        Assert.Equal(iterations, rows.Count(r => r[^1] == "finished"));

        var (again, resubmitted, _) = await grid.SubmitAsync(yaml);
        Assert.Equal(iterations, resubmitted.FinishedIterations);
        Assert.Equal(SweepState.Finished, (await GridCluster.WaitForAsync(again, s => s.IsTerminal, "the resubmitted sweep")).State);
        Assert.Equal(iterations, RecordingTrainer.For(submitted.Sweep.Directory).Count);
    }
}
