using Grid.Engine.Runtime;

namespace Grid.Engine.Tests;

public sealed class ThreadBudgetTests
{
    [Theory]
    [InlineData(0.0, 2)]
    [InlineData(0.4, 2)]
    [InlineData(0.6, 1)]
    [InlineData(1.0, 1)]
    [InlineData(2.0, 1)]
    [InlineData(7.5, 1)]
    public void On_two_cores_a_two_thread_slot_keeps_the_cores_others_leave(double otherCores, int threads)
    {
        var budget = new ThreadBudget(2, new CpuLoad("/nonexistent", "/nonexistent"), machineCores: 2);
        Assert.Equal(threads, budget.Target(otherCores));
    }

    [Fact]
    public void The_target_never_exceeds_the_slot_s_share()
    {
        var budget = new ThreadBudget(4, new CpuLoad("/nonexistent", "/nonexistent"), machineCores: 16);
        Assert.Equal(4, budget.Target(0));
        Assert.Equal(4, budget.Target(10));
        Assert.Equal(1, budget.Target(15.4));
    }

    [Fact]
    public void A_fixed_budget_is_not_adaptive_and_keeps_its_threads()
    {
        var budget = ThreadBudget.Fixed(3);
        Assert.False(budget.Adaptive);
        Assert.Equal(3, budget.Threads);
        Assert.Equal(3, budget.Max);
    }

    [Fact]
    public void A_slot_with_an_explicit_thread_count_is_fixed()
    {
        var budget = ThreadBudget.ForSlot(slots: 1, threads: 3);
        Assert.False(budget.Adaptive);
        Assert.Equal(3, budget.Threads);
    }

    [Fact]
    public void Slots_share_the_cores()
    {
        var budget = ThreadBudget.ForSlot(slots: Environment.ProcessorCount * 2);
        Assert.Equal(1, budget.Max);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), ThreadBudget.ForSlot(slots: 2).Max);
    }
}
