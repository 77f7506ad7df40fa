using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>
/// Grains tell each other when something ends instead of waiting for their next poll: with a poll period of ten
/// minutes, a sweep of three short iterations still finishes in seconds (well before the coordinator's next poll,
/// however busy the machine).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PromptCompletionTests
{
    [Fact]
    public async Task A_sweep_finishes_as_soon_as_its_runs_do_not_at_its_coordinators_next_poll()
    {
        var poll = TimeSpan.FromMinutes(10);
        await using var grid = await GridCluster.StartWithPollAsync("simulated", (int)poll.TotalMilliseconds, 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (coordinator, submitted, _) = await grid.SubmitAsync(TestSweeps.Simulated("prompt-finish", iterations: 3, seeds: "[0]", fractions: "[1]"));

        // The coordinator's first poll starts the run at once; the next would come ten minutes later.
        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.True(clock.Elapsed < poll / 2, $"the sweep took {clock.Elapsed.TotalSeconds:F0} s: it waited for a poll");
        Assert.Equal(SweepState.Finished, status.State);
        Assert.Equal(3, status.FinishedIterations);
        Assert.Equal(3, RecordingTrainer.For(submitted.Sweep!.Directory).Count);
    }
}
