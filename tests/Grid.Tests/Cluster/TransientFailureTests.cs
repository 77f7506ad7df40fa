using System.Collections.Concurrent;
using Grid.Engine.Sweeps;
using Grid.Grains.Failures;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>Two silos (no slots, 1 slot), simulated training, 2 retries 300 ms apart at first (doubling).</summary>
public sealed class RetryClusterFixture : IAsyncLifetime
{
    public const int RetryLimit = 2;
    public const int RetryDelayMilliseconds = 300;

    public GridCluster Grid { get; private set; } = null!;

    public async Task InitializeAsync() => Grid = await GridCluster.StartWithOptionsAsync("simulated", new Dictionary<string, string>
    {
        ["RetryLimit"] = RetryLimit.ToString(),
        ["RetryDelayMilliseconds"] = RetryDelayMilliseconds.ToString(),
    }, 100, 0, 1);

    public async Task DisposeAsync() => await Grid.DisposeAsync();
}

/// <summary>
/// Failures that may pass on another try are retried with backoff, a bounded number of times; failures that recur are
/// not retried; an iteration no silo can train is given up after Grid:UnreachableSeconds.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TransientFailureTests(RetryClusterFixture fixture) : IClassFixture<RetryClusterFixture>
{
    private GridCluster Grid => fixture.Grid;

    [Fact]
    public async Task A_transient_failure_is_retried_with_growing_backoff_and_the_run_finishes()
    {
        string name = "transient-then-ok";
        var attempts = new ConcurrentQueue<DateTime>();
        RecordingTrainer.Gates[name + "-"] = (record, _) =>
        {
            if (record.Iteration == 1)
            {
                attempts.Enqueue(DateTime.UtcNow);
                if (attempts.Count <= 2)
                {
                    throw new IOException("the shared volume went away for a moment");
                }
            }
        };
        try
        {
            var (coordinator, submitted, _) = await Grid.SubmitAsync(TestSweeps.Simulated(name, iterations: 3, seeds: "[0]", fractions: "[1]"));

            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to end");

            Assert.Equal(SweepState.Finished, status.State);
            Assert.Equal(3, status.Runs[0].FinishedIterations);
            var trainings = RecordingTrainer.For(submitted.Sweep!.Directory).Where(t => t.Iteration == 1).ToList();
            Assert.Equal(["failed: the shared volume went away for a moment", "failed: the shared volume went away for a moment", "finished"], trainings.Select(t => t.Result));
            var times = attempts.ToArray();
            var delay = TimeSpan.FromMilliseconds(RetryClusterFixture.RetryDelayMilliseconds);
            Assert.True(times[1] - times[0] >= delay * 0.9, $"first retry after {(times[1] - times[0]).TotalMilliseconds} ms");
            Assert.True(times[2] - times[1] >= delay * 2 * 0.9, $"second retry after {(times[2] - times[1]).TotalMilliseconds} ms (backoff doubles)");
            string run = Path.Combine(Grid.Results, submitted.Sweep.Directory, SweepLayout.RunDirectory(status.Runs[0].RunHash));
            Assert.False(File.Exists(RunFailureFile.PathOf(run)));
        }
        finally
        {
            RecordingTrainer.Gates.TryRemove(name + "-", out _);
        }
    }

    [Fact]
    public async Task A_transient_failure_that_keeps_recurring_fails_its_run_after_the_retry_limit()
    {
        string name = "transient-forever";
        var file = Client.Specs.SweepFile.Parse(TestSweeps.Simulated(name, iterations: 2, seeds: "[0, 1]", fractions: "[1]"));
        string doomed = file.Runs[0].Hash;
        RecordingTrainer.Gates[name + "-"] = (record, _) =>
        {
            if (record.RunDirectory.EndsWith(doomed, StringComparison.Ordinal))
            {
                throw new IOException("no space left on device");
            }
        };
        try
        {
            var (coordinator, submitted, _) = await Grid.SubmitAsync(TestSweeps.Simulated(name, iterations: 2, seeds: "[0, 1]", fractions: "[1]"));

            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to end");

            Assert.Equal(SweepState.Failed, status.State);
            var failed = status.Runs.Single(r => r.RunHash == doomed);
            Assert.Equal($"iteration 0: IOException: no space left on device (gave up after {RetryClusterFixture.RetryLimit + 1} tries)", failed.Error);
            Assert.Equal(RunState.Finished, status.Runs.Single(r => r.RunHash != doomed).State);
            Assert.Equal(RetryClusterFixture.RetryLimit + 1, RecordingTrainer.For($"{submitted.Sweep!.Directory}/{SweepLayout.RunDirectory(doomed)}").Count);
            string run = Path.Combine(Grid.Results, submitted.Sweep.Directory, SweepLayout.RunDirectory(doomed));
            Assert.Equal("transient", RunFailureFile.Read(run)!.Kind);
        }
        finally
        {
            RecordingTrainer.Gates.TryRemove(name + "-", out _);
        }
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_until_the_sweep_is_submitted_again()
    {
        string name = "permanent-simulated";
        string yaml = TestSweeps.Simulated(name, iterations: 2, seeds: "[0]", fractions: "[1]");
        RecordingTrainer.Gates[name + "-"] = (record, _) => throw new InvalidDataException("a file the spec names is malformed");
        try
        {
            var (coordinator, submitted, _) = await Grid.SubmitAsync(yaml);
            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to end");

            Assert.Equal(SweepState.Failed, status.State);
            Assert.Equal("iteration 0: InvalidDataException: a file the spec names is malformed", status.Runs[0].Error);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Single(RecordingTrainer.For(submitted.Sweep!.Directory));
            string summary = File.ReadAllText(Path.Combine(Grid.Results, submitted.Sweep.Directory, SweepLayout.SummaryFile));
            Assert.EndsWith(",iteration 0: InvalidDataException: a file the spec names is malformed,failed\n", summary);

            RecordingTrainer.Gates.TryRemove(name + "-", out _);
            var (again, _, _) = await Grid.SubmitAsync(yaml);
            var retried = await GridCluster.WaitForAsync(again, s => s.IsTerminal, "the resubmitted sweep to end");

            Assert.Equal(SweepState.Finished, retried.State);
            Assert.Equal(3, RecordingTrainer.For(submitted.Sweep.Directory).Count); // the failed try, then iterations 0 and 1
            Assert.DoesNotContain(",failed", File.ReadAllText(Path.Combine(Grid.Results, submitted.Sweep.Directory, SweepLayout.SummaryFile)));
        }
        finally
        {
            RecordingTrainer.Gates.TryRemove(name + "-", out _);
        }
    }

    [Fact]
    public async Task An_iteration_no_silo_can_train_fails_its_run_after_the_unreachable_limit()
    {
        await using var grid = await GridCluster.StartWithOptionsAsync("simulated", new Dictionary<string, string> { ["UnreachableSeconds"] = "3" }, 100, 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (coordinator, _, _) = await grid.SubmitAsync(TestSweeps.Simulated("nowhere", iterations: 2, seeds: "[0]", fractions: "[1]"));

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to end");

        Assert.Equal(SweepState.Failed, status.State);
        Assert.StartsWith("iteration 0: unreachable for ", status.Runs[0].Error);
        Assert.Contains("No silo with device slots", status.Runs[0].Error);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3), $"gave up after {clock.Elapsed}");
    }
}
