using Grid.Client.Rendering;

namespace Grid.Tests.Cli;

/// <summary>One run's line in grid run's and grid watch's live view.</summary>
public sealed class ProgressViewTests
{
    private static RunStatus Training(int gathered, int capacity) => new()
    {
        Index = 3,
        State = RunState.Training,
        FinishedIterations = 2,
        Values = ["1"],
        Gathered = gathered,
        GatherCapacity = capacity,
    };

    [Fact]
    public void An_iteration_waiting_for_its_bundle_says_how_many_members_are_queued_of_how_many()
    {
        string line = ProgressView.Describe(Training(gathered: 3, capacity: 8), ["seed"]);

        Assert.Contains("#3 seed=1", line);
        Assert.Contains("it 2[/] waiting for the members of its bundle: 3 of 8 queued", line);
    }

    [Fact]
    public void An_iteration_not_gathering_is_starting()
    {
        string line = ProgressView.Describe(Training(gathered: 0, capacity: 0), ["seed"]);

        Assert.Contains("it 2[/] starting", line);
        Assert.DoesNotContain("bundle", line);
    }
}
