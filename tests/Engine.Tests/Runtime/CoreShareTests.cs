using Grid.Engine.Runtime;

namespace Grid.Engine.Tests;

public sealed class CoreShareTests
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    [InlineData(4, 1)]
    [InlineData(9, 1)]
    public void Each_busy_slot_gets_an_equal_share_of_the_cores(int busy, int perSlot)
    {
        var share = new CoreShare(4);
        var slots = Enumerable.Range(0, busy).Select(_ => share.Occupy()).ToList();

        Assert.Equal(busy, share.Busy);
        Assert.Equal(perSlot, share.PerSlot);
        slots.ForEach(s => s.Dispose());
        Assert.Equal(0, share.Busy);
    }

    [Fact]
    public void Releasing_a_slot_twice_counts_once()
    {
        var share = new CoreShare(2);
        var first = share.Occupy();
        using var second = share.Occupy();

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, share.Busy);
        Assert.Equal(2, share.PerSlot);
    }

    [Fact]
    public void A_budget_of_a_shared_slot_adapts_to_the_other_slots_even_without_load_samples()
    {
        var share = new CoreShare(4);
        var budget = new ThreadBudget(4, load: null, machineCores: 4, share: share);
        using var own = share.Occupy();

        Assert.True(budget.Adaptive);
        Assert.Equal(4, budget.Target(0));
        using (share.Occupy())
        {
            Assert.Equal(2, budget.Target(0));
        }

        Assert.Equal(4, budget.Target(0));
    }

    [Fact]
    public void A_slot_gives_cores_up_at_once_when_another_starts_and_takes_them_back_when_it_ends() => OwnThread.Run(() =>
    {
        var share = new CoreShare(4);
        var budget = new ThreadBudget(4, load: null, machineCores: 4, share: share);
        using var own = share.Occupy();
        budget.UseCeiling(4);
        Assert.Equal(4, budget.Threads);
        Assert.Equal(4, TorchThreads.OfCurrentThread());

        var other = share.Occupy();
        budget.Refresh();
        Assert.Equal(2, budget.Threads);
        Assert.Equal(2, TorchThreads.OfCurrentThread());
        Assert.Equal(2, budget.WithAvailable(TorchThreads.OfCurrentThread));

        other.Dispose();
        // Taking cores back waits for two samples a second apart that agree (as after other processes' load).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (budget.Threads != 4 && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            budget.Refresh();
            Thread.Sleep(50);
        }

        Assert.Equal(4, budget.Threads);
        Assert.Equal(4, TorchThreads.OfCurrentThread());
    });

    [Fact]
    public void Work_whose_bits_depend_on_the_count_keeps_its_count_whatever_the_other_slots_do() => OwnThread.Run(() =>
    {
        var share = new CoreShare(4);
        var budget = new ThreadBudget(4, load: null, machineCores: 4, share: share);
        using var own = share.Occupy();
        using var other = share.Occupy();

        budget.UseCeiling(4, fixedCount: true);

        Assert.Equal(4, budget.Threads);
        Assert.Equal(4, TorchThreads.OfCurrentThread());
        budget.UseCeiling(3);
        Assert.Equal(2, budget.Threads);
    });

    [Fact]
    public void A_budget_for_a_shared_slot_may_use_every_core()
    {
        var budget = ThreadBudget.ForSharedSlot(new CoreShare(Environment.ProcessorCount));

        Assert.Equal(Environment.ProcessorCount, budget.Max);
        Assert.True(budget.Adaptive);
    }
}
