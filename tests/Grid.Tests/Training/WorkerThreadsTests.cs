using Grid.Grains.Training;

namespace Grid.Tests.Training;

public sealed class WorkerThreadsTests
{
    [Fact]
    public async Task Consecutive_work_runs_on_the_same_long_lived_thread()
    {
        using var threads = new WorkerThreads(1, "test slot");

        int first = await threads.Run(() => Environment.CurrentManagedThreadId);
        int second = await threads.Run(() => Environment.CurrentManagedThreadId);
        string? name = await threads.Run(() => Thread.CurrentThread.Name);

        Assert.Equal(first, second);
        Assert.NotEqual(Environment.CurrentManagedThreadId, first);
        Assert.Equal("test slot 0", name);
    }

    [Fact]
    public async Task No_more_than_one_item_per_slot_runs_at_once()
    {
        using var threads = new WorkerThreads(2, "test slot");
        int running = 0;
        int most = 0;

        var items = Enumerable.Range(0, 6).Select(_ => threads.Run(() =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(50);
            Interlocked.Decrement(ref running);
            return Thread.CurrentThread.Name;
        })).ToArray();
        string?[] names = await Task.WhenAll(items);

        Assert.Equal(2, most);
        Assert.Equal(["test slot 0", "test slot 1"], names.Distinct().Order());
    }

    [Fact]
    public async Task A_failure_reaches_the_caller_and_the_thread_serves_the_next_item()
    {
        using var threads = new WorkerThreads(1, "test slot");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => threads.Run<int>(() => throw new InvalidOperationException("diverged")));
        int after = await threads.Run(() => 42);

        Assert.Equal("diverged", error.Message);
        Assert.Equal(42, after);
    }

    [Fact]
    public async Task Work_given_after_the_threads_stopped_is_cancelled_not_failed()
    {
        var threads = new WorkerThreads(1, "test slot");
        int before = await threads.Run(() => 1);
        threads.Dispose();

        var late = threads.Run(() => 2);

        Assert.Equal(1, before);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => late);
        Assert.True(late.IsCanceled);
    }

    [Fact]
    public async Task Each_thread_runs_its_start_action_first_with_its_index()
    {
        var started = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var threads = new WorkerThreads(2, "test slot", index => started[Thread.CurrentThread.Name!] = index);

        var names = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => threads.Run(() =>
        {
            Thread.Sleep(20);
            return Thread.CurrentThread.Name!;
        })));

        foreach (string name in names.Distinct())
        {
            Assert.Equal(int.Parse(name["test slot ".Length..]), started[name]);
        }
    }

    [Fact]
    public async Task Dispose_waits_for_the_running_item_and_cancels_the_queued_ones()
    {
        var threads = new WorkerThreads(1, "test slot");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        bool finished = false;
        var running = threads.Run(() =>
        {
            started.Set();
            release.Wait();
            Thread.Sleep(200); // still running when Dispose begins to wait
            finished = true;
            return 1;
        });
        var queued = threads.Run(() => 2);
        started.Wait();

        release.Set();
        threads.Dispose();

        Assert.True(finished, "Dispose returned while the running item was still running");
        Assert.Equal(1, await running);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
