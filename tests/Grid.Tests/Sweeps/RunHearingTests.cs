using Grid.Grains.Sweeps;

namespace Grid.Tests.Sweeps;

/// <summary>How a coordinator tells a fresh report of a run from a stale one (one-way messages are not ordered), and a
/// silent run from one that reports.</summary>
public sealed class RunHearingTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(5);

    private static RunStatus From(Guid activation, long sequence, RunState state = RunState.Training) =>
        new() { RunHash = "run", Activation = activation, Sequence = sequence, State = state };

    [Fact]
    public void Reports_later_than_the_last_answer_of_the_same_activation_are_taken_and_older_ones_are_not()
    {
        var hearing = new RunHearing();
        var activation = Guid.NewGuid();
        hearing.Answered(From(activation, 5), Start);

        Assert.False(hearing.Reported(From(activation, 4, RunState.Failed), Start)); // sent before the answer
        Assert.False(hearing.Reported(From(activation, 5), Start));
        Assert.True(hearing.Reported(From(activation, 7), Start));
        Assert.False(hearing.Reported(From(activation, 6), Start)); // overtaken by 7
        Assert.True(hearing.Reported(From(activation, 8, RunState.Finished), Start));
    }

    [Fact]
    public void Reports_of_a_run_never_asked_or_of_another_activation_are_not_taken()
    {
        var hearing = new RunHearing();
        var asked = Guid.NewGuid();

        Assert.False(hearing.Reported(From(asked, 1), Start));
        hearing.Answered(From(asked, 1), Start);
        Assert.False(hearing.Reported(From(Guid.NewGuid(), 100), Start)); // a new activation, woken without the coordinator
        Assert.True(hearing.Reported(From(asked, 2), Start));
    }

    [Fact]
    public void A_run_is_silent_until_it_is_heard_and_again_once_it_has_not_reported_for_the_silence()
    {
        var hearing = new RunHearing();
        var activation = Guid.NewGuid();
        Assert.True(hearing.IsSilent("run", Start, Silence));
        Assert.False(hearing.HasHeard("run"));

        hearing.Answered(From(activation, 1), Start);
        Assert.False(hearing.IsSilent("run", Start + Silence - TimeSpan.FromMilliseconds(1), Silence));
        Assert.True(hearing.Reported(From(activation, 2), Start + TimeSpan.FromSeconds(4)));
        Assert.False(hearing.IsSilent("run", Start + TimeSpan.FromSeconds(8), Silence));
        Assert.False(hearing.Reported(From(activation, 1), Start + TimeSpan.FromSeconds(8))); // a stale report is no sign of life
        Assert.True(hearing.IsSilent("run", Start + TimeSpan.FromSeconds(9), Silence));

        hearing.Clear();
        Assert.False(hearing.HasHeard("run"));
        Assert.True(hearing.IsSilent("run", Start + TimeSpan.FromSeconds(4), Silence));
    }
}
