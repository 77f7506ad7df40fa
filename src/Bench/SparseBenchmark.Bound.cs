using Grid.Engine.Numerics;
using Grid.Engine.Runtime;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;

namespace Grid.Bench;

public static partial class SparseBenchmark
{
    private const double ScheduleGoal = 0.4;
    private const int BoundRounds = 5;

    /// <summary>
    /// Whether any sparse kernel could meet the schedule's goal on this host (<see cref="ScheduleBound"/>): the pruned
    /// layers' products timed inside the dense step (u = 100 %, the median of <see cref="BoundRounds"/> rounds), the
    /// other costs from the sparsest step measured; printed: the schedule's cost with sparse products as fast per weight
    /// as dense BLAS, the rate the goal needs (networks with goals), and the rate the engine's kernels reach at u = 10 %.
    /// </summary>
    private static void PrintBound(Network network, int steps, ThreadBudget budget, IBatchSource source, IReadOnlyList<MeasuredPoint> points)
    {
        double products = PrunedProductsMilliseconds(network, steps, budget, source);
        var schedule = points.Where(point => point.OnSchedule).ToList();
        var sparsest = points.MinBy(point => point.U)!;
        var bound = new ScheduleBound([.. schedule.Select(point => (point.U, point.Dense))], products,
            ScheduleBound.FixedFrom(sparsest.Auto, sparsest.U, products));
        double denseStep = Statistics.Median(schedule.Select(point => point.Dense));
        string needed = !network.Goals ? ""
            : bound.RateNeeded(ScheduleGoal) is { } rate
                ? FormattableString.Invariant($"; the goal x{ScheduleGoal} needs sparse products at {rate:P0} of dense BLAS's rate per weight")
                : FormattableString.Invariant($"; the goal x{ScheduleGoal} is out of reach even at dense BLAS's rate per weight");
        string reach = bound.RateAt(0.1, points.Single(point => point.U == 0.1).Auto) is { } reached
            ? FormattableString.Invariant($"{reached:P0} at u = 10 %")
            : "an unmeasurable rate at u = 10 % (its step no slower than the sparsest)";
        Console.WriteLine(FormattableString.Invariant(
            $"{network.Name}: the pruned layers' products take {products:F1} of the dense step's {denseStep:F1} ms; every other cost of a sparse step {bound.Fixed:F1} ms (from u = {sparsest.U:P2})"));
        Console.WriteLine(FormattableString.Invariant(
            $"{network.Name}: bound: with sparse products as fast per weight as dense BLAS the schedule would cost x{bound.Ratio(1):F3} of all-dense{needed}; the engine's kernels reach {reach}"));
    }

    /// <summary>ms per dense step (every weight kept) spent in the prunable layers' forward and backward phases.</summary>
    private static double PrunedProductsMilliseconds(Network network, int steps, ThreadBudget budget, IBatchSource source)
    {
        var spec = Spec(network, steps);
        using var model = MaskedModel(network, 1.0, budget);
        using var step = BackpropStep.Create(model, spec, budget, [.. Enumerable.Repeat(KernelKinds.Dense, model.LayerCount)]);
        var prunedPhases = Enumerable.Range(0, model.LayerCount).Where(l => model.PruneFlags[l])
            .SelectMany(l => new[] { $"layer {l + 1} forward", $"layer {l + 1} backward" }).ToHashSet();
        var phases = new StepPhases();
        var rounds = new List<double>();
        for (int round = 0; round < BoundRounds; round++)
        {
            StepMilliseconds(step, model, spec, source, steps, phases);
            rounds.Add(phases.Sums.Where(p => prunedPhases.Contains(p.Phase)).Sum(p => p.Milliseconds) / steps);
        }

        return Statistics.Median(rounds);
    }
}
