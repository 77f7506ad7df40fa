using Grid.Client.Specs;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>
/// Each state change between a run and its iterations travels one way: the run tells an iteration to train once, and
/// the iteration reports its progress and its end back by itself; the run asks again only an iteration it has not heard
/// from for a while, which still finds finished work without training it twice. Analyses report their end the same way.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OneWayStateTests(SimulatedClusterFixture fixture)
{
    private GridCluster Grid => fixture.Grid;

    // Step counts no other test uses: the results root's run store shares trained work between sweeps of one shape.

    [Fact]
    public async Task Progress_and_the_end_of_an_iteration_reach_the_run_without_the_run_asking_again()
    {
        var (coordinator, submitted, _) = await Grid.SubmitAsync(TestSweeps.Simulated("one-way", iterations: 2, millisecondsPerIteration: 3010, seeds: "[0]", fractions: "[1]"));
        string sweep = submitted.Sweep!.Hash;

        // The run's status shows iteration 0 advancing step by step, every step told by the iteration itself.
        var steps = new HashSet<int>();
        await GridCluster.WaitForAsync(coordinator, s =>
        {
            if (s.Runs.Single().Current is { Iteration: 0, Step: > 0 and var step })
            {
                steps.Add(step);
            }

            return steps.Count >= 3 || s.Runs.Single().FinishedIterations > 0;
        }, "the run's status to show iteration 0 advancing");
        Assert.True(steps.Count >= 3, $"the run showed steps {string.Join(", ", steps)} of iteration 0 only");
        Assert.Single(RunCalls.OfIteration(sweep, 0), c => c.Method == RunCalls.Ensure);

        var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");
        Assert.Equal(SweepState.Finished, status.State);
        for (int iteration = 0; iteration < 2; iteration++)
        {
            var calls = RunCalls.OfIteration(sweep, iteration);
            // Told to train once; the answer was not its end, so the end reached the run in a report.
            var ensure = Assert.Single(calls, c => c.Method == RunCalls.Ensure);
            Assert.True(ensure.State is IterationState.Queued or IterationState.Training, $"iteration {iteration} answered {ensure.State}");
            var reports = calls.Where(c => c.Method == RunCalls.IterationReport).ToList();
            // One-way messages may arrive out of order: a periodic Training report sent just before the end can arrive
            // after it, and the run ignores it (the iteration it was about is no longer the run's current one).
            Assert.Single(reports, r => r.State == IterationState.Finished);
            Assert.True(reports.Count(r => r.State == IterationState.Training) >= 3, $"iteration {iteration} reported {reports.Count} times");
        }

        Assert.Equal(2, RecordingTrainer.For(submitted.Sweep.Directory).Count);
    }

    [Fact]
    public async Task An_iteration_the_run_stops_hearing_from_is_asked_again_and_its_finished_work_is_read_back()
    {
        string yaml = TestSweeps.Simulated("silent-iteration", iterations: 2, millisecondsPerIteration: 1010, seeds: "[0]", fractions: "[1]");
        string sweep = SweepFile.Parse(yaml).Sweep.Hash();
        RunCalls.Silenced[sweep] = 0; // every report of iteration 0 is lost until the run asks it again
        try
        {
            var (coordinator, submitted, _) = await Grid.SubmitAsync(yaml);
            var status = await GridCluster.WaitForAsync(coordinator, s => s.IsTerminal, "the sweep to finish");

            Assert.Equal(SweepState.Finished, status.State);
            Assert.Equal(2, status.FinishedIterations);
            var calls = RunCalls.OfIteration(sweep, 0);
            Assert.Contains(calls, c => c is { Method: RunCalls.IterationReport, State: IterationState.Finished, Lost: true });
            Assert.Equal(2, calls.Count(c => c.Method == RunCalls.Ensure)); // asked again once the run heard nothing
            Assert.Contains(calls, c => c is { Method: RunCalls.IterationReport, State: IterationState.Finished, Lost: false });
            var trainings = RecordingTrainer.For(submitted.Sweep!.Directory);
            Assert.Single(trainings, t => t.Iteration == 0); // its finished work was read back, not trained again
            Assert.Single(trainings, t => t.Iteration == 1);
        }
        finally
        {
            RunCalls.Silenced.TryRemove(sweep, out _);
        }
    }

    [Fact]
    public async Task The_end_of_an_analysis_reaches_the_run_without_the_run_asking_again()
    {
        var (coordinator, submitted, _) = await Grid.SubmitAsync(TestSweeps.Simulated("one-way-analyses", iterations: 3, millisecondsPerIteration: 120, seeds: "[0]", fractions: "[1]") + "\nanalysis: [curves]\n");
        var status = await GridCluster.WaitForAsync(coordinator, s => s.State == SweepState.Finished && s.Runs.All(r => r.AnalysesPending == 0), "the sweep and its analyses to finish");

        Assert.Equal(3, status.FinishedIterations);
        Assert.Equal(3, RecordingAnalyzer.For(submitted.Sweep!.Directory).Count);
        var grains = RunCalls.OfAnalyses(submitted.Sweep.Hash).GroupBy(c => c.AnalysisKey).ToList();
        Assert.Equal(3, grains.Count);
        foreach (var calls in grains)
        {
            // Told to compute once, answered "computing"; the end reached the run in a report.
            var ensure = Assert.Single(calls, c => c.Method == RunCalls.Ensure);
            Assert.True(ensure.Running, $"{calls.Key} answered that it was done");
            Assert.Contains(calls, c => c is { Method: RunCalls.AnalysisReport, Running: false });
        }
    }
}
