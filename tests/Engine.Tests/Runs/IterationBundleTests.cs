using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Runs;

/// <summary>Iterations of real Fashion-MNIST runs trained as one bundle against each trained alone.</summary>
public sealed class IterationBundleTests
{
    private static ExperimentSpec Spec(long seed) => TinyRuns.Spec(seed) with
    {
        Training = TinyRuns.Spec().Training with { Steps = 200, ValidateEvery = 50, Kernel = KernelKinds.Dense },
    };

    [Fact]
    public void Each_member_of_a_bundle_trains_and_writes_what_its_solo_iteration_does()
    {
        // the pruned member: iteration 1 of a run whose iteration 0 trained alone (its mask and rewind weights)
        string pruned = TinyRuns.TemporaryDirectory();
        RunExecutor.RunIteration(Spec(1), pruned, 0, CPU, null, CancellationToken.None);
        var run = new RunDirectory(pruned);
        var members = new (ExperimentSpec Spec, int Iteration, string Directory)[]
        {
            (Spec(2), 0, TinyRuns.TemporaryDirectory()),
            (Spec(1), 1, pruned),
            // its own data fraction, and a transform that draws from the batch generator too
            (Spec(3) with { Dataset = Spec(3).Dataset with { Fraction = 0.1 }, Task = new TaskSpec { Translate = true } }, 0, TinyRuns.TemporaryDirectory()),
        };

        var works = members.Select(m => Open(m.Spec, m.Iteration, m.Directory)).ToList();
        var reports = members.Select(_ => new List<TrainingProgress>()).ToArray();
        var results = IterationBundle.Train(
            [.. works.Select((work, k) => new IterationBundle.Entry(work, run.RewindWeightsFile, Checkpoints(members[k].Iteration, members[k].Directory, "bundled"), new Reports(reports[k])))],
            CancellationToken.None, threads: null);
        for (int k = 0; k < members.Length; k++)
        {
            works[k].SaveTrained(Path.Combine(members[k].Directory, "bundled-final.npz"));
        }

        for (int k = 0; k < members.Length; k++)
        {
            var (spec, iteration, directory) = members[k];
            using var solo = Open(spec, iteration, directory);
            var alone = solo.Train(run.RewindWeightsFile, Checkpoints(iteration, directory, "solo"), null, CancellationToken.None, threads: null);
            solo.SaveTrained(Path.Combine(directory, "solo-final.npz"));
            var bundled = results[k].Value;

            Assert.Equal(alone.Curve.Select(p => (p.Step, p.ValAccuracy)), bundled.Curve.Select(p => (p.Step, p.ValAccuracy)));
            Assert.Equal(alone.BestStep, bundled.BestStep);
            Assert.Equal(alone.Curve.Select(p => p.Step), reports[k].Select(r => r.Step));
            AssertClose(Path.Combine(directory, "solo-final.npz"), Path.Combine(directory, "bundled-final.npz"));
            if (iteration == 0)
            {
                AssertClose(Path.Combine(directory, "solo-rewind.npz"), Path.Combine(directory, "bundled-rewind.npz"));
            }
        }

        // the pruned member's pruned weights are still exactly zero in the file it wrote
        var masks = TensorArchive.LoadMasks(run.MaskFile(1));
        var final = TensorArchive.Load(Path.Combine(pruned, "bundled-final.npz"));
        for (int l = 0; l < masks.Count - 1; l++)
        {
            var weight = final[$"_linears.{l}.weight"];
            Assert.True(masks[l].eq(0).any().item<bool>());
            Assert.Equal(0, weight.masked_select(masks[l].eq(0)).abs().sum().item<float>());
        }

        foreach (var work in works)
        {
            work.Dispose();
        }
    }

    [Fact]
    public void A_bundle_of_one_is_the_solo_path()
    {
        var spec = TinyRuns.Spec(4); // kernel auto: the cost model's kernels, as alone
        string bundled = TinyRuns.TemporaryDirectory(), alone = TinyRuns.TemporaryDirectory();
        using (var work = Open(spec, 0, bundled))
        {
            var result = IterationBundle.Train([new IterationBundle.Entry(work, "", [(10, Path.Combine(bundled, "rewind.npz"))], null)], CancellationToken.None, null);
            work.SaveTrained(Path.Combine(bundled, "final.npz"));
            using var solo = Open(spec, 0, alone);
            var reference = solo.Train("", [(10, Path.Combine(alone, "rewind.npz"))], null, CancellationToken.None, null);
            solo.SaveTrained(Path.Combine(alone, "final.npz"));
            Assert.Equal(reference.Curve, result[0].Value.Curve);
            Assert.Equal(reference.Kernels, result[0].Value.Kernels);
        }

        foreach (var file in new[] { "final.npz", "rewind.npz", "init.npz" })
        {
            AssertClose(Path.Combine(alone, file), Path.Combine(bundled, file), tolerance: 0); // the files hold their time of writing
        }
    }

    private static IterationWork Open(ExperimentSpec spec, int iteration, string directory)
    {
        var run = new RunDirectory(directory);
        return IterationWork.Open(spec, iteration, CPU, run.InitialWeightsFile, iteration == 0 ? null : run.MaskFile(iteration));
    }

    private static IReadOnlyList<(int Step, string File)> Checkpoints(int iteration, string directory, string prefix) =>
        iteration == 0 ? [(10, Path.Combine(directory, $"{prefix}-rewind.npz"))] : [];

    /// <summary>The same tensors, each within <paramref name="tolerance"/> of its largest magnitude (0: bit for bit).</summary>
    private static void AssertClose(string expectedFile, string actualFile, double tolerance = 1e-5)
    {
        var expected = TensorArchive.Load(expectedFile);
        var actual = TensorArchive.Load(actualFile);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            if (tolerance == 0)
            {
                Assert.True(tensor.eq(actual[name]).all().item<bool>(), $"{Path.GetFileName(actualFile)} {name} differs");
                continue;
            }

            double difference = (tensor.to_type(float64) - actual[name].to_type(float64)).abs().max().item<double>();
            Assert.True(difference <= tolerance * Math.Max(1, tensor.to_type(float64).abs().max().item<double>()), $"{Path.GetFileName(actualFile)} {name}: max |difference| {difference:G3}");
        }
    }

    private sealed class Reports(List<TrainingProgress> list) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => list.Add(value);
    }
}
