using Grid.Bench;

namespace Grid.Analysis.Tests.Benchmarks;

/// <summary>The schedule's cost at a given sparse rate, and the rate a goal needs, from measured parts.</summary>
public class ScheduleBoundTests
{
    private static readonly (double U, double Dense)[] Schedule = [(1.0, 100), (0.5, 100), (0.1, 100), (0.01, 100)];

    [Fact]
    public void Each_step_trains_the_cheaper_way()
    {
        var bound = new ScheduleBound(Schedule, PrunedProducts: 80, Fixed: 20);

        // rate 1: 100 (dense), 20 + 40, 20 + 8, 20 + 0.8; rate 0.5: 100, 100 (dense beats 100), 20 + 16, 20 + 1.6.
        Assert.Equal(100 + 60 + 28 + 20.8, bound.Cost(1), 9);
        Assert.Equal(100 + 100 + 36 + 21.6, bound.Cost(0.5), 9);
        Assert.Equal(400, bound.AllDense);
        Assert.Equal(bound.Cost(1) / 400, bound.Ratio(1), 12);
    }

    [Fact]
    public void The_rate_needed_meets_the_goal_and_a_little_less_does_not()
    {
        var bound = new ScheduleBound(Schedule, PrunedProducts: 80, Fixed: 20);

        double rate = Assert.IsType<double>(bound.RateNeeded(0.6));

        Assert.True(bound.Ratio(rate) <= 0.6);
        Assert.True(bound.Ratio(rate * 0.999) > 0.6);
    }

    [Fact]
    public void A_goal_below_what_dense_rate_gives_needs_no_rate()
    {
        var bound = new ScheduleBound(Schedule, PrunedProducts: 80, Fixed: 20);

        Assert.Null(bound.RateNeeded(bound.Ratio(1) - 0.01));
    }

    [Fact]
    public void The_fixed_costs_and_the_rate_come_from_measured_steps()
    {
        double fixedCost = ScheduleBound.FixedFrom(sparsestStep: 21, u: 0.01, prunedProducts: 100);
        var bound = new ScheduleBound(Schedule, PrunedProducts: 100, Fixed: fixedCost);

        Assert.Equal(20, fixedCost, 9);
        // At u = 10 % the products would take 10 ms at dense rate; a 60 ms step spends 40 on them: a quarter of the rate.
        Assert.Equal(0.25, bound.RateAt(0.1, 60)!.Value, 9);
        Assert.Null(bound.RateAt(0.1, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => bound.Cost(0));
    }
}
