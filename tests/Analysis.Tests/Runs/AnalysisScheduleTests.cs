using Grid.Analysis.Runs;
using Grid.Engine.Specs;

namespace Grid.Analysis.Tests.Runs;

public sealed class AnalysisScheduleTests
{
    [Fact]
    public void By_default_the_costly_analyses_are_for_the_reported_iterations_only()
    {
        var (every, reported) = IterationAnalyses.ScheduleFor([], new ExperimentSpec());

        Assert.Equal(["locality", "node-removal", "activations"], reported);
        Assert.Equal(["connectivity", "masks", "curves", "evolution"], every);
    }

    [Fact]
    public void An_explicit_list_runs_on_every_iteration()
    {
        var (every, reported) = IterationAnalyses.ScheduleFor(["locality", "curves"], new ExperimentSpec());

        Assert.Equal(["locality", "curves"], every);
        Assert.Empty(reported);
    }

    [Fact]
    public void None_means_nothing_at_all()
    {
        var (every, reported) = IterationAnalyses.ScheduleFor(["none"], new ExperimentSpec());

        Assert.Empty(every);
        Assert.Empty(reported);
    }
}
