using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Training.Backprop;
using Grid.Engine.Training.Bundles;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>
/// The cost model that splits iterations ready to train into bundles and solo trainings. Iterations of one shape
/// (<see cref="BundleShape"/>, and the same layer widths once their data is loaded) may share a bundle of at most
/// <see cref="BundleSizing.Members"/>. A bundle trains dense, while a member alone trains with the kernels its mask gets
/// from the kernel cost model (<see cref="KernelPlan"/>: sparse where that is cheaper, at low density on big layers),
/// so a member goes alone when its solo step is estimated cheaper than its share of the bundled dense step (the dense
/// step over the measured bundle speedup, <see cref="BundleSizing.Speedup"/>); the rest are split evenly into bundles
/// no larger than allowed, and a bundle trains only when its estimate is below its members' solo steps together.
/// That is <c>training.bundle: auto</c>; a spec that sets K asks for bundles of up to K and gets them, estimate or not
/// (how a researcher, a test or a benchmark trains bundles on a host where they do not pay).
/// </summary>
public static class BundlePlan
{
    /// <summary>Indices into <paramref name="works"/>, one list per training: a bundle, or one iteration alone.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Split(IReadOnlyList<IterationWork> works, int threads, torch.Device device) =>
        Split(works, threads, device, HostProfile.Default);

    public static IReadOnlyList<IReadOnlyList<int>> Split(IReadOnlyList<IterationWork> works, int threads, torch.Device device, HostProfile profile)
    {
        var plan = new List<IReadOnlyList<int>>();
        var groups = Enumerable.Range(0, works.Count)
            .GroupBy(i => $"{BundleShape.Key(works[i].Spec)}|{string.Join('-', works[i].Model.LayerWidths)}|{works[i].Model.HasBatchNorm}", StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var members = group.ToList();
            var spec = works[members[0]].Spec;
            int cap = members.Count < 2 ? 1 : Math.Min(members.Count, BundleSizing.Members(spec, threads, device, profile));
            if (cap < 2)
            {
                plan.AddRange(members.Select(i => (IReadOnlyList<int>)[i]));
                continue;
            }

            var alone = new List<int>();
            Dictionary<int, (double Solo, double Dense)>? costs = null; // none when the spec asks for bundles: it gets them
            if (spec.Training.Bundle is null)
            {
                double soloStep = BundleSizing.SoloStepMilliseconds(spec, threads, device, profile) ?? 0;
                double bestSpeedup = BundleSizing.Speedup(spec, cap, threads, device, profile);
                costs = members.ToDictionary(i => i, i => StepCosts(works[i], soloStep, profile));
                alone.AddRange(members.Where(i => costs[i].Solo < costs[i].Dense / bestSpeedup));
            }

            foreach (var bundle in Even([.. members.Except(alone)], cap))
            {
                if (bundle.Count >= 2 && (costs is null || bundle.Sum(i => costs[i].Dense) / BundleSizing.Speedup(spec, bundle.Count, threads, device, profile) <= bundle.Sum(i => costs[i].Solo)))
                {
                    plan.Add(bundle);
                }
                else
                {
                    alone.AddRange(bundle);
                }
            }

            plan.AddRange(alone.Order().Select(i => (IReadOnlyList<int>)[i]));
        }

        return plan;
    }

    /// <summary>Consecutive runs of <paramref name="members"/> of at most <paramref name="cap"/>, of even sizes: 5 members
    /// with at most 4 a bundle train as 3 and 2, not 4 and 1.</summary>
    private static IEnumerable<List<int>> Even(List<int> members, int cap)
    {
        int count = (members.Count + cap - 1) / cap;
        for (int b = 0; b < count; b++)
        {
            yield return members.Skip(b * members.Count / count).Take(((b + 1) * members.Count / count) - (b * members.Count / count)).ToList();
        }
    }

    /// <summary>Estimated milliseconds of one solo step with the kernels the iteration gets alone, and of one dense step
    /// (what it costs in a bundle before the bundle's speedup). Where every solo kernel is dense the two are equal and
    /// nothing is measured. The layers' products are estimated from the kernel cost model; what a whole step costs
    /// besides them (drawing the batch, BatchNorm, the loss, the update: most of a small network's step) is the measured
    /// solo dense step (<paramref name="soloStepMilliseconds"/>) less the dense products, and it is the same alone or
    /// in a bundle, where the bundle's measured speedup shares it: left out, a small network's sparse solo step looked
    /// cheaper than its share of a bundle that trained it faster (experiments/cpu/tasks.yaml, docs/throughput.md).</summary>
    private static (double Solo, double Dense) StepCosts(IterationWork work, double soloStepMilliseconds, HostProfile profile)
    {
        var model = work.Model;
        var training = work.Spec.Training;
        var kinds = KernelPlan.For(model, training, profile);
        if (kinds.All(k => k == KernelKinds.Dense))
        {
            return (1, 1);
        }

        double solo = 0, dense = 0;
        for (int l = 0; l < model.LayerCount; l++)
        {
            var mask = model.Mask(l);
            long unpruned = mask.count_nonzero().item<long>();
            var (layerDense, layerSparse) = KernelPlan.Estimate((int)mask.shape[1], (int)mask.shape[0], unpruned, training.BatchSize, l > 0, training.Optimizer, profile);
            dense += layerDense;
            solo += kinds[l] == KernelKinds.Sparse ? layerSparse : layerDense;
        }

        double rest = Math.Max(0, soloStepMilliseconds - dense);
        return (rest + solo, rest + dense);
    }
}
