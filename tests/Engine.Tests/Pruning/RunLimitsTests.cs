using Grid.Engine.Pruning;
using Grid.Engine.Tests.Runs;

namespace Grid.Engine.Tests.Pruning;

public sealed class RunLimitsTests
{
    [Fact]
    public void The_limits_a_run_stops_at_are_told_from_the_procedures_own_ends()
    {
        var spec = TinyRuns.Spec() with { Pruning = TinyRuns.Spec().Pruning with { MaxIterations = 3, StopRatio = 0.2 } };
        string maxIterations = RunLimits.StopReason(spec, 3, [1, 1, 1, 1], null)!;
        string stopRatio = RunLimits.StopReason(spec, 1, [0.1, 1, 1, 1], null)!;

        Assert.Equal("reached max_iterations (3)", maxIterations);
        Assert.EndsWith("(stop_ratio 0.2)", stopRatio);
        Assert.True(RunLimits.IsRunLimit(maxIterations));
        Assert.True(RunLimits.IsRunLimit(stopRatio));
        Assert.False(RunLimits.IsRunLimit(RunLimits.StopReason(spec, 1, null, "layer 2: no node keeps an incoming weight")!));
        Assert.False(RunLimits.IsRunLimit("one-shot pruning trains a single pruned iteration"));
        Assert.False(RunLimits.IsRunLimit("SNIP prunes once, at initialisation"));
        Assert.False(RunLimits.IsRunLimit("every prunable layer is frozen (layer 3 was the last)"));
        Assert.False(RunLimits.IsRunLimit("the procedure ends here"));
    }
}
