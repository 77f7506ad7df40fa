using Grid.Engine.Runtime;

namespace Grid.Engine.Tests;

public sealed class ThreadNicenessTests
{
    [Fact]
    public void A_thread_lowers_its_own_priority_and_no_other_thread_s()
    {
        int before = ThreadNiceness.OfCurrentThread();
        int inside = -1;
        bool applied = false;
        var thread = new Thread(() =>
        {
            applied = ThreadNiceness.SetForCurrentThread(Math.Max(7, before));
            inside = ThreadNiceness.OfCurrentThread();
        });
        thread.Start();
        thread.Join();

        Assert.True(applied);
        Assert.Equal(Math.Max(7, before), inside);
        Assert.Equal(before, ThreadNiceness.OfCurrentThread());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(20)]
    public void Values_outside_0_to_19_are_refused(int nice)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreadNiceness.SetForCurrentThread(nice));
    }
}
