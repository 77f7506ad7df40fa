using System.Text.Json;
using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training.Backprop;
using Grid.Engine.Training.Bundles;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Runs;

/// <summary>The cost model that splits iterations into bundles and solo trainings, on host profiles whose layer costs
/// the test writes (what the kernel cost model would have measured).</summary>
public sealed class BundlePlanTests
{
    private static ExperimentSpec Spec(long seed, string kernel, int? bundle = 2) => TinyRuns.Spec(seed) with
    {
        Training = TinyRuns.Spec().Training with { Kernel = kernel, Bundle = bundle },
    };

    [Theory]
    [InlineData(10.0, 1.0, 0.0, null, false)] // auto, sparse steps far cheaper than dense: alone
    [InlineData(1.0, 10.0, 0.0, null, true)] // auto, sparse steps dearer: the dense bundle
    [InlineData(10.0, 1.0, 0.0, 2, true)] // bundles asked for (bundle: 2): a bundle, though alone would be cheaper
    [InlineData(10.0, 1.0, 1000.0, null, true)] // auto, a step that is mostly not products (1 s against 40 ms): the bundle shares it
    public void Members_train_alone_where_their_solo_steps_beat_the_bundle_unless_the_spec_asks_for_bundles(double dense, double sparse, double soloStep, int? bundle, bool bundled)
    {
        var profile = Profile(dense, sparse, Spec(1, KernelKinds.Sparse, bundle), soloStep);
        using var first = Open(Spec(1, KernelKinds.Sparse, bundle));
        using var second = Open(Spec(2, KernelKinds.Sparse, bundle));

        var plan = BundlePlan.Split([first, second], 1, CPU, profile);

        Assert.Equal(bundled ? [[0, 1]] : new[] { new[] { 0 }, new[] { 1 } }, plan.Select(p => p.ToArray()));
    }

    [Fact]
    public void Dense_members_of_one_shape_bundle_up_to_the_size_allowed_evenly_and_other_shapes_apart()
    {
        var profile = new HostProfile(null);
        var works = new[] { 1L, 2, 3, 4, 5 }.Select(seed => Open(Spec(seed, KernelKinds.Dense, bundle: 4))).ToList();
        var otherShape = TinyRuns.Spec(6) with { Training = TinyRuns.Spec().Training with { Kernel = KernelKinds.Dense, Bundle = 4, Steps = 80 } };
        works.Add(Open(otherShape));
        try
        {
            var plan = BundlePlan.Split(works, 1, CPU, profile);

            Assert.Equal(new[] { new[] { 0, 1 }, [2, 3, 4], [5] }, plan.Select(p => p.ToArray())); // 3 and 2 rather than 4 and 1
        }
        finally
        {
            works.ForEach(w => w.Dispose());
        }
    }

    private static IterationWork Open(ExperimentSpec spec) =>
        IterationWork.Open(spec, 0, CPU, Path.Combine(TinyRuns.TemporaryDirectory(), "init.npz"), null);

    /// <summary>A profile where every layer's dense step costs <paramref name="dense"/> ms and its sparse step
    /// <paramref name="sparse"/> ms whatever its unpruned count, and where bundles of <paramref name="spec"/>'s shape
    /// were measured to gain x1.4 at K = 2, with solo dense steps of <paramref name="soloStep"/> ms.</summary>
    private static HostProfile Profile(double dense, double sparse, ExperimentSpec? spec = null, double soloStep = 0)
    {
        string file = Path.Combine(TinyRuns.TemporaryDirectory(), "host-profile.json");
        var entries = new Dictionary<string, double[]>();
        var tiny = TinyRuns.Spec();
        int[] widths = [784, .. tiny.Network.Hidden, 10];
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            string key = $"{HostProfile.Cpu}|layer v{KernelPlan.KernelVersion}|{widths[l]}x{widths[l + 1]}|batch {tiny.Training.BatchSize}|input gradient {l > 0}|{tiny.Training.Optimizer}";
            entries[key] = [dense, sparse, 1, sparse, 2, sparse, 3];
        }

        if (spec is not null)
        {
            entries[$"{HostProfile.Cpu}|bundle v{BundleSizing.MeasurementVersion}|{BundleShape.Key(spec)}|threads 1|{CPU}"] = [2, 1.4, 0, 0, soloStep];
        }

        File.WriteAllText(file, JsonSerializer.Serialize(entries));
        return new HostProfile(file);
    }
}
