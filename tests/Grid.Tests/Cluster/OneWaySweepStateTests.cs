using Grid.Client.Specs;
using Grid.Engine.Sweeps;
using Grid.Grains.Hosting;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>
/// Each state change between a sweep's coordinator and its runs travels one way: the coordinator commands each run once,
/// and the run reports its progress and its end back by itself; the coordinator asks again only a run it has not heard
/// from for a while, which still finds finished work without training it twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OneWaySweepStateTests(SimulatedClusterFixture fixture)
{
    private GridCluster Grid => fixture.Grid;

    // Step counts no other test uses: the results root's run store shares trained work between sweeps of one shape.

    [Fact]
    public async Task The_coordinator_commands_each_run_once_and_hears_its_progress_and_its_end_in_reports()
    {
        var (coordinator, submitted, file) = await Grid.SubmitAsync(TestSweeps.Simulated("one-way-sweep", iterations: 2, millisecondsPerIteration: 2020, seeds: "[0, 1]", fractions: "[1]"));
        string sweep = submitted.Sweep!.Hash;
        var runs = file.Runs.Select(r => r.Hash).ToList();

        // The sweep's status (what grid run and grid watch show) follows each run's iteration 0 step by step.
        var steps = runs.ToDictionary(r => r, _ => new HashSet<int>());
        await GridCluster.WaitForAsync(coordinator, s =>
        {
            foreach (var run in s.Runs)
            {
                if (run.Current is { Iteration: 0, Step: > 0 and var step })
                {
                    steps[run.RunHash].Add(step);
                }
            }

            return s.Runs.All(r => steps[r.RunHash].Count >= 3 || r.FinishedIterations > 0);
        }, "the sweep's status to show each run's iteration 0 advancing");
        Assert.All(runs, r => Assert.True(steps[r].Count >= 3, $"run {r} showed steps {string.Join(", ", steps[r])} of iteration 0 only"));

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        Assert.Equal(4, status.FinishedIterations);
        foreach (string run in runs)
        {
            var calls = RunCalls.OfRun(sweep, run);
            // Commanded once (a submitted sweep restarts its runs from the results store), never asked again.
            var command = Assert.Single(calls, c => c.Method is RunCalls.Restart or RunCalls.Ensure);
            Assert.Equal(RunCalls.Restart, command.Method);
            Assert.False(command.State is RunState.Finished, $"run {run} answered that it had finished");
            // Its progress and its end came in reports, every poll interval while it trained.
            var reports = calls.Where(c => c.Method == RunCalls.RunReport).ToList();
            Assert.Contains(reports, c => c is { State: RunState.Finished, FinishedIterations: 2 });
            Assert.True(reports.Count(c => c.State == RunState.Training) >= 3, $"run {run} reported {reports.Count} times");
        }

        Assert.Equal(4, RecordingTrainer.For(submitted.Sweep.Directory).Count);
        // Written when the last report ended the sweep: one finished row per iteration, no run still pending.
        var summary = CsvText.Parse(File.ReadAllText(Path.Combine(Grid.Results, submitted.Sweep.Directory, SweepLayout.SummaryFile)));
        Assert.Equal(Enumerable.Repeat("finished", 4), summary.Skip(1).Select(r => r[^1]));
    }

    [Fact]
    public async Task A_run_the_coordinator_stops_hearing_from_is_asked_again_once_and_nothing_is_retrained()
    {
        string yaml = TestSweeps.Simulated("silent-run", iterations: 3, millisecondsPerIteration: 1530, seeds: "[0]", fractions: "[1]");
        var file = SweepFile.Parse(yaml);
        string sweep = file.Sweep.Hash(), run = file.Runs[0].Hash;
        RunCalls.SilencedRuns[GrainKeys.Run(sweep, run)] = true; // every report of the run is lost until it is asked again
        try
        {
            var (coordinator, submitted, _) = await Grid.SubmitAsync(yaml);
            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

            Assert.Equal(SweepState.Finished, status.State);
            Assert.Equal(3, status.FinishedIterations);
            var calls = RunCalls.OfRun(sweep, run);
            var commands = calls.Where(c => c.Method is RunCalls.Restart or RunCalls.Ensure).ToList();
            Assert.Equal([RunCalls.Restart, RunCalls.Ensure], commands.Select(c => c.Method)); // asked again once
            Assert.Contains(calls, c => c is { Method: RunCalls.RunReport, Lost: true });
            Assert.DoesNotContain(calls, c => c.Method == RunCalls.RunReport && c.Lost && c.At > commands[1].At);
            // Reports are lost from the start, so the coordinator heard nothing after the Restart's answer.
            var silence = new GridOptions { PollMilliseconds = 100 }.ReportSilence;
            Assert.True(commands[1].At - commands[0].At >= silence * 0.95,
                $"asked again {(commands[1].At - commands[0].At).TotalSeconds:F1} s after the first command, before {silence.TotalSeconds} s of silence");
            // The end reached the coordinator as the answer to Ensure (the run had finished unheard) or in a report.
            Assert.True(commands[1].State == RunState.Finished
                || calls.Any(c => c is { Method: RunCalls.RunReport, State: RunState.Finished, Lost: false }), "the coordinator never heard the run end");
            var trainings = RecordingTrainer.For(submitted.Sweep!.Directory);
            Assert.Equal([0, 1, 2], trainings.Select(t => t.Iteration).Order()); // each iteration once: nothing retrained
        }
        finally
        {
            RunCalls.SilencedRuns.TryRemove(GrainKeys.Run(sweep, run), out _);
        }
    }
}
