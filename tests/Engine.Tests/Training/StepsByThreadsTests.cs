using Grid.Engine.Training;

namespace Grid.Engine.Tests;

public sealed class StepsByThreadsTests
{
    [Fact]
    public void The_count_most_steps_used_is_reported_the_fewest_threads_on_a_tie()
    {
        var steps = new StepsByThreads(startThreads: 2);
        Assert.Equal(2, steps.Most);

        steps.Add(1);
        steps.Add(2);
        Assert.Equal(1, steps.Most);

        steps.Add(null); // no budget: the count it started with
        Assert.Equal(2, steps.Most);
    }
}
