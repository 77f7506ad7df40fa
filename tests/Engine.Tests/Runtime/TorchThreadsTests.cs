using Grid.Engine.Runtime;

namespace Grid.Engine.Tests;

public sealed class TorchThreadsTests
{
    [Fact]
    public void Threads_of_one_process_keep_their_own_libtorch_thread_counts()
    {
        using var twoSet = new ManualResetEventSlim();
        using var oneSet = new ManualResetEventSlim();
        int twoAfterOther = 0, one = 0, fresh = 0;

        var two = new Thread(() =>
        {
            TorchThreads.UseOnCurrentThread(2);
            twoSet.Set();
            oneSet.Wait();
            twoAfterOther = TorchThreads.OfCurrentThread();
        });
        var single = new Thread(() =>
        {
            twoSet.Wait();
            one = TorchThreads.UseOnCurrentThread(1);
            oneSet.Set();
        });
        two.Start();
        single.Start();
        two.Join();
        single.Join();
        var later = new Thread(() => fresh = TorchThreads.UseOnCurrentThread(2));
        later.Start();
        later.Join();

        Assert.Equal(1, one);
        Assert.Equal(2, twoAfterOther); // the other thread's set_num_threads(1) did not change this thread's count
        Assert.Equal(2, fresh);
    }

    [Fact]
    public void A_thread_count_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchThreads.UseOnCurrentThread(0));
    }
}
