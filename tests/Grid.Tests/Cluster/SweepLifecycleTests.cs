using Grid.Client.Specs;
using Grid.Engine.Sweeps;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class SweepLifecycleTests(SimulatedClusterFixture fixture)
{
    private GridCluster Grid => fixture.Grid;

    [Fact]
    public async Task A_sweep_finishes_every_run_and_iteration_and_writes_one_summary_row_each()
    {
        var (coordinator, submitted, file) = await Grid.SubmitAsync(TestSweeps.Simulated("complete", iterations: 3));
        Assert.Equal(4, submitted.Sweep!.RunCount);
        Assert.Equal(0, submitted.FinishedIterations);

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        Assert.All(status.Runs, r => Assert.Equal((RunState.Finished, 3), (r.State, r.FinishedIterations)));
        var trainings = RecordingTrainer.For(submitted.Sweep.Directory);
        Assert.Equal(12, trainings.Count);
        Assert.All(trainings, t => Assert.Equal("finished", t.Result));
        Assert.DoesNotContain(trainings, t => t.Silo == "Primary"); // 0 device slots: never trains
        Assert.Equal(12, trainings.Select(t => (t.RunDirectory, t.Iteration)).Distinct().Count());

        string sweepDirectory = Path.Combine(Grid.Results, submitted.Sweep.Directory);
        var rows = CsvText.Parse(await WaitForSummaryAsync(sweepDirectory, rows: 12));
        Assert.Equal(["run", "seed", "dataset.fraction", "iteration", "unpruned_fraction", "u_layer1", "u_layer2", "u_layer3",
            "best_val_accuracy", "best_val_top5", "best_step", "train_seconds", "reason", "status"], rows[0]);
        Assert.Equal(12, rows.Count - 1);
        Assert.All(rows.Skip(1), row => Assert.Equal("finished", row[^1]));
        Assert.Equal(file.Runs.Select(r => r.Hash).ToHashSet(), rows.Skip(1).Select(r => r[0]).ToHashSet());
        Assert.True(File.Exists(Path.Combine(sweepDirectory, SweepLayout.AggregateFile)));
        Assert.True(File.Exists(Path.Combine(sweepDirectory, SweepLayout.ManifestFile)));
        Assert.True(File.Exists(Path.Combine(sweepDirectory, SweepLayout.SourceFile)));
    }

    [Fact]
    public async Task Resubmitting_a_finished_sweep_reads_it_back_without_training()
    {
        string yaml = TestSweeps.Simulated("resubmit-finished", iterations: 2, seeds: "[0]");
        var (coordinator, submitted, _) = await Grid.SubmitAsync(yaml);
        await GridCluster.WaitForAsync(coordinator, s => s.State == SweepState.Finished, "the sweep to finish");
        int trained = RecordingTrainer.For(submitted.Sweep!.Directory).Count;
        Assert.Equal(4, trained);

        var (again, resubmitted, _) = await Grid.SubmitAsync(yaml);
        Assert.Equal(4, resubmitted.FinishedIterations);
        var status = await GridCluster.WaitForAsync(again, s => s.IsTerminal, "the resubmitted sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        Assert.Equal(trained, RecordingTrainer.For(submitted.Sweep.Directory).Count);
    }

    [Fact]
    public async Task Cancel_stops_the_work_keeps_finished_iterations_and_resubmitting_resumes()
    {
        string yaml = TestSweeps.Simulated("cancel-resume", iterations: 4, millisecondsPerIteration: 400, seeds: "[0, 1]", fractions: "[1]");
        var (coordinator, submitted, _) = await Grid.SubmitAsync(yaml);
        string directory = submitted.Sweep!.Directory;
        await GridCluster.WaitForAsync(coordinator, s => s.FinishedIterations >= 2, "two iterations to finish");

        var cancelled = await coordinator.Cancel();

        Assert.Equal(SweepState.Cancelled, cancelled.State);
        await GridCluster.WaitUntilAsync(() => RecordingTrainer.For(directory).All(t => t.Result != "running"), "training to stop");
        var finishedBefore = RecordingTrainer.For(directory).Where(t => t.Result == "finished").Select(t => (t.RunDirectory, t.Iteration)).ToHashSet();
        Assert.True(finishedBefore.Count >= 2);
        Assert.True(File.Exists(Path.Combine(Grid.Results, directory, SweepLayout.CancelledMarker)));
        int countAfterCancel = RecordingTrainer.For(directory).Count;
        await Task.Delay(600);
        Assert.Equal(countAfterCancel, RecordingTrainer.For(directory).Count); // nothing new starts
        Assert.Equal(SweepState.Cancelled, (await coordinator.GetStatus()).State); // watching does not resume a cancelled sweep
        var summary = CsvText.Parse(File.ReadAllText(Path.Combine(Grid.Results, directory, SweepLayout.SummaryFile)));
        Assert.Equal(finishedBefore.Count, summary.Count(r => r[^1] == "finished"));
        Assert.Contains(summary, r => r[^1] == "cancelled");

        var (again, resubmitted, _) = await Grid.SubmitAsync(yaml);
        Assert.Equal(finishedBefore.Count, resubmitted.FinishedIterations);
        var status = await GridCluster.WaitForAsync(again, s => s.IsTerminal, "the resumed sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        Assert.False(File.Exists(Path.Combine(Grid.Results, directory, SweepLayout.CancelledMarker)));
        var all = RecordingTrainer.For(directory);
        foreach (var finished in finishedBefore)
        {
            Assert.Single(all, t => (t.RunDirectory, t.Iteration) == finished && t.Result == "finished");
            Assert.Single(all, t => (t.RunDirectory, t.Iteration) == finished);
        }

        Assert.Equal(8, all.Where(t => t.Result == "finished").Select(t => (t.RunDirectory, t.Iteration)).Distinct().Count());
        Assert.Equal(8, all.Count(t => t.Result == "finished"));
    }

    [Fact]
    public async Task A_bad_sweep_is_rejected_with_field_paths_and_nothing_is_written()
    {
        string document = """
            {"name": "bad", "base": {"training": {"stepz": 3, "learning_rate": -1}}, "matrix": [{"field": "dataset.fraction", "values": [0]}]}
            """;
        var before = Directory.GetFileSystemEntries(Grid.Results).Length;

        var result = await Grid.Client.GetGrain<ISweepGrain>("0123456789abcdef").Submit(new SweepSubmission { DocumentJson = document });

        Assert.False(result.Accepted);
        Assert.Contains(result.Errors, e => e.StartsWith("base.training.stepz: unknown field", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("base.training.learning_rate: must be > 0", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("matrix[0].values[0] (dataset.fraction): must be in (0, 1]", StringComparison.Ordinal));
        Assert.Equal(before, Directory.GetFileSystemEntries(Grid.Results).Length);
        Assert.Empty(RecordingTrainer.For("bad-"));
    }

    [Fact]
    public async Task A_sweep_submitted_to_the_wrong_key_is_rejected()
    {
        var parsed = SweepFile.Parse(TestSweeps.Simulated("wrong-key"));

        var result = await Grid.Client.GetGrain<ISweepGrain>("ffffffffffffffff")
            .Submit(new SweepSubmission { DocumentJson = parsed.Document!.ToJsonString() });

        Assert.False(result.Accepted);
        Assert.Contains("hash", result.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iterations_are_placed_only_on_silos_with_device_slots()
    {
        var (coordinator, submitted, _) = await Grid.SubmitAsync(TestSweeps.Simulated("placement", iterations: 2, millisecondsPerIteration: 300, seeds: "[0, 1, 2]", fractions: "[1]"));
        var primary = Grid.Cluster.Primary!.SiloAddress.ToParsableString();
        var seen = new HashSet<string>();
        var status = await GridCluster.WaitForAsync(coordinator, s =>
        {
            foreach (var run in s.Runs.Where(r => r.Silo is not null))
            {
                seen.Add(run.Silo!);
            }

            return s.IsTerminal;
        }, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        Assert.DoesNotContain(primary, seen);
        Assert.NotEmpty(seen);
        var silos = RecordingTrainer.For(submitted.Sweep!.Directory).Select(t => t.Silo).ToHashSet();
        Assert.DoesNotContain("Primary", silos);
        Assert.Subset(new HashSet<string> { "Secondary_1", "Secondary_2" }, silos);
    }

    private static async Task<string> WaitForSummaryAsync(string sweepDirectory, int rows)
    {
        string file = Path.Combine(sweepDirectory, SweepLayout.SummaryFile);
        string text = "";
        await GridCluster.WaitUntilAsync(() =>
        {
            text = File.Exists(file) ? File.ReadAllText(file) : "";
            return CsvText.Parse(text).Count(r => r[^1] == "finished") == rows;
        }, "summary.csv to list every iteration");
        return text;
    }
}
