using System.Diagnostics;
using Grid.Client.Specs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using Grid.Grains.Failures;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>
/// Failures that recur on every try, built after validation passed (files corrupted just before training reads them, a
/// spec built in code, a silo's device): the run fails once with the reason, nothing retries it, the sweep finishes
/// its other runs, and the reason is in the status, in summary.csv and in the run's failure.json.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PermanentFailureTests : IDisposable
{
    /// <summary>Generous: the machine may be busy. Each run trains 3 iterations of 20 steps of a 16x16 net.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(240);

    private readonly string _data = Path.Combine(Path.GetTempPath(), "grid-failure-data", Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task Bad_labels_and_a_bad_mapping_file_fail_their_runs_once_and_the_sweep_finishes_the_other()
    {
        string good = TinyIdx.Write(Path.Combine(_data, "good"));
        string bad = TinyIdx.Write(Path.Combine(_data, "bad"));
        string goodMapping = Path.Combine(_data, "good-mapping.txt");
        string badMapping = Path.Combine(_data, "bad-mapping.txt");
        File.WriteAllText(goodMapping, "0,0,0,0,0,1,1,1,1,1\n");
        File.WriteAllText(badMapping, "0,0,0,0,1,1,1,1,1,1\n");
        TinyIdx.SetTrainLabel(bad, 3, 4); // valid, but other data than `good`: the runs share no work in the run store
        string yaml = $"""
            name: permanent
            base:
              dataset:
                name: mnist
                val_size: 50
              network:
                hidden: [16, 16]
              training:
                steps: 20
                batch_size: 32
                validate_every: 10
              pruning:
                rewind_step: 5
                max_iterations: 2
              task:
                labels: semantic
                classes: 2
            matrix:
              - field: dataset.path
                values: ["{good}", "{bad}"]
              - field: task.mapping_file
                values: ["{goodMapping}", "{badMapping}"]
            analysis: [none]
            """;
        var file = SweepFile.Parse(yaml);
        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        string Run(string path, string mapping) => file.Runs.Single(r => r.Spec.Dataset.Path == path && r.Spec.Task.MappingFile == mapping).Hash;
        string okRun = Run(good, goodMapping), labelRun = Run(bad, goodMapping), bothRun = Run(bad, badMapping), mappingRun = Run(good, badMapping);

        // Validation (the client's and the coordinator's, which reads the dataset files) has passed by the time a run
        // trains: the gate breaks the files then, as a disk or a person might.
        foreach (string run in new[] { labelRun, bothRun, mappingRun })
        {
            RecordingTrainer.Gates[run] = (_, _) =>
            {
                TinyIdx.SetTrainLabel(bad, 3, 12);
                File.WriteAllText(badMapping, "0,0,zero,0,0,1,1,1,1,1\n");
            };
        }

        await using var grid = await GridCluster.StartAsync("engine", 0, 1);
        try
        {
            var clock = Stopwatch.StartNew();
            var (coordinator, submitted, _) = await grid.SubmitAsync(yaml);
            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to end");

            Assert.Equal(SweepState.Failed, status.State);
            Assert.StartsWith("3 run(s) failed; first: run ", status.Message);
            var byHash = status.Runs.ToDictionary(r => r.RunHash);
            Assert.Equal(RunState.Finished, byHash[okRun].State);
            string labels = Path.Combine(bad, TinyIdx.TrainLabels);
            Assert.Equal($"iteration 0: {labels}: label 12 at index 3 is outside 0..9", byHash[labelRun].Error);
            Assert.Equal($"iteration 0: {labels}: label 12 at index 3 is outside 0..9", byHash[bothRun].Error);
            Assert.StartsWith($"iteration 0: {badMapping}: line 1", byHash[mappingRun].Error);

            // Each failing run was tried exactly once, and stays failed: nothing asks for it again.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(SweepState.Failed, (await coordinator.GetStatus()).State);
            foreach (string run in new[] { labelRun, bothRun, mappingRun })
            {
                var trainings = RecordingTrainer.For(run);
                Assert.Single(trainings);
                Assert.StartsWith("failed: ", trainings[0].Result);
            }

            Assert.True(clock.Elapsed < Bound, $"took {clock.Elapsed}");

            string sweepDirectory = Path.Combine(grid.Results, submitted.Sweep!.Directory);
            var rows = CsvText.Parse(File.ReadAllText(Path.Combine(sweepDirectory, SweepLayout.SummaryFile)));
            int reason = rows[0].ToList().IndexOf("reason");
            var failedRow = Assert.Single(rows, r => r[0] == mappingRun);
            Assert.Equal(("failed", byHash[mappingRun].Error), (failedRow[^1], failedRow[reason]));
            Assert.All(rows.Where(r => r[0] == okRun), r => Assert.Equal(("finished", ""), (r[^1], r[reason])));

            // The failed runs wrote nothing but their spec, their link to the run store and why they failed.
            string labelDirectory = Path.Combine(sweepDirectory, SweepLayout.RunDirectory(labelRun));
            Assert.Equal(["failure.json", "spec.json", "store.json"], Directory.EnumerateFileSystemEntries(labelDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            var failure = RunFailureFile.Read(labelDirectory)!;
            Assert.Equal((0, "permanent"), (failure.Iteration, failure.Kind));
            Assert.Contains("label 12", failure.Reason);

            // Fixed and submitted again: the failed runs are retried (and only they are trained).
            TinyIdx.SetTrainLabel(bad, 3, 3);
            File.WriteAllText(badMapping, "0,0,0,0,0,1,1,1,1,1\n");
            foreach (string run in new[] { labelRun, bothRun, mappingRun })
            {
                RecordingTrainer.Gates.TryRemove(run, out _);
            }

            int okTrainings = RecordingTrainer.For(okRun).Count;
            var (again, _, _) = await grid.SubmitAsync(yaml);
            var retried = await GridCluster.WaitForAsync(again, s => s.IsTerminal, "the resubmitted sweep to end");

            Assert.True(retried.State == SweepState.Finished, string.Join("; ", retried.Runs.Select(r => $"{r.State} {r.Error}")));
            Assert.Equal(okTrainings, RecordingTrainer.For(okRun).Count);
            Assert.False(File.Exists(Path.Combine(labelDirectory, RunFailureFile.FileName)));
        }
        finally
        {
            foreach (string run in new[] { labelRun, bothRun, mappingRun })
            {
                RecordingTrainer.Gates.TryRemove(run, out _);
            }
        }
    }

    [Fact]
    public async Task A_silo_whose_device_does_not_exist_refuses_to_start_with_the_reason()
    {
        // The silo resolves its devices when it is built (SlotPlan), so a bad device never gets to fail iterations.
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            GridCluster.StartWithOptionsAsync("engine", new Dictionary<string, string> { ["Device"] = "tpu" }, 100, 1));

        string messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains("device 'tpu': expected cpu, cuda, cuda:N, cuda:all or auto", messages);
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }

    [Fact]
    public async Task A_run_whose_training_diverges_fails_at_once_and_a_resuming_coordinator_does_not_retry_it()
    {
        // A spec built in code, as no validation would stop it: a learning rate that makes the loss NaN within 10 steps.
        var spec = new ExperimentSpec
        {
            Dataset = new DatasetSpec { Name = DatasetNames.Mnist, Path = TinyIdx.Write(Path.Combine(_data, "mnist")), ValSize = 50 },
            Network = new NetworkSpec { Hidden = [16, 16] },
            Training = new TrainingSpec { LearningRate = 1e20, Steps = 20, BatchSize = 32, ValidateEvery = 10 },
            Pruning = new PruningSpec { RewindStep = 5, MaxIterations = 2 },
        };
        string hash = SpecJson.Hash(spec);
        var request = new RunRequest
        {
            SweepHash = "d1e2e3f4a5b6c7d8",
            SweepDirectory = "diverge-" + Guid.NewGuid().ToString("N")[..8],
            RunHash = hash,
            RunDirectory = SweepLayout.RunDirectory(hash),
            SpecJson = SpecJson.Canonical(spec),
            EstimatedIterations = 3,
        };
        await using var grid = await GridCluster.StartAsync("engine", 1);
        var run = grid.Client.GetGrain<IPruningRunGrain>(request.GrainKey);

        await run.Restart(request);
        RunStatus status = null!;
        await GridCluster.WaitUntilAsync(async () => (status = await run.Ensure(request)).IsTerminal, "the run to end");

        Assert.Equal(RunState.Failed, status.State);
        Assert.Equal("iteration 0: training diverged at step 10: loss = NaN (try a smaller learning rate)", status.Error);
        string directory = Path.Combine(grid.Results, request.SweepDirectory, request.RunDirectory);
        Assert.Equal(("permanent", 0), (RunFailureFile.Read(directory)!.Kind, RunFailureFile.Read(directory)!.Iteration));
        Assert.False(Directory.Exists(Path.Combine(directory, "iter-000"))); // nothing of the iteration was written

        // A coordinator that resumes (Ensure, not a new submission) finds it failed and trains nothing.
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(RunState.Failed, (await run.Ensure(request)).State);
            await Task.Delay(200);
        }

        Assert.Single(RecordingTrainer.For(request.SweepDirectory));
    }
}
