using Grid.Engine.Numerics;
using Grid.Engine.Runtime;
using Grid.Engine.Training.Backprop;

namespace Grid.Bench;

public static partial class SparseBenchmark
{
    /// <summary>
    /// Where the step with the auto kernels goes at density u (<c>sparse -u U --phases</c>): rounds of
    /// <paramref name="steps"/> steps, each phase's ms per step (<see cref="StepPhases"/>), printed as the median over the
    /// rounds [min–max] and its share of the median step.
    /// </summary>
    private static void MeasurePhases(Network network, int steps, double u, ThreadBudget budget, int rounds)
    {
        var source = Batches(network);
        var spec = Spec(network, steps);
        using var model = MaskedModel(network, u, budget);
        var kinds = KernelPlan.For(model, spec with { Kernel = KernelKinds.Auto });
        using var step = BackpropStep.Create(model, spec, budget, kinds);
        var phases = new StepPhases();
        var stepTimes = new List<double>();
        var phaseTimes = new Dictionary<string, List<double>>();
        var order = new List<string>();
        for (int round = 0; round < rounds; round++)
        {
            stepTimes.Add(StepMilliseconds(step, model, spec, source, steps, phases));
            foreach (var (phase, sum) in phases.Sums)
            {
                if (!phaseTimes.TryGetValue(phase, out var times))
                {
                    phaseTimes[phase] = times = [];
                    order.Add(phase);
                }

                times.Add(sum / steps);
            }
        }

        double median = Statistics.Median(stepTimes);
        Console.WriteLine(FormattableString.Invariant(
            $"{network.Name}: u = {u:P2} ({string.Join(',', kinds)}; {budget.Threads} threads), {rounds} rounds of {steps} steps: median step {median:F2} ms [{stepTimes.Min():F2}-{stepTimes.Max():F2}]; load average {Machine.LoadAverage()}"));
        Console.WriteLine($"  {"phase",-20} {"ms",8}  {"[min-max]",-17} {"share",6}");
        foreach (string phase in order)
        {
            var times = phaseTimes[phase];
            double m = Statistics.Median(times);
            Console.WriteLine(FormattableString.Invariant($"  {phase,-20} {m,8:F3}  {$"[{times.Min():F3}-{times.Max():F3}]",-17} {m / median,6:P1}"));
        }

        Console.WriteLine(FormattableString.Invariant($"  {"sum of the medians",-20} {order.Sum(p => Statistics.Median(phaseTimes[p])),8:F3}"));
    }
}
