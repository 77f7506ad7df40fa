using System.Diagnostics;
using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// Which kernel trains each linear layer in an iteration (<c>training.kernel</c>): dense, sparse (every prunable layer,
/// CPU only), or auto, where a cost model measured on this host picks per prunable layer: a layer's dense step (forward,
/// both gradients, update) costs T_dense and its sparse step T_sparse(nnz) is piecewise linear through sparse steps
/// measured at 1%, 10% and 50% density (beyond 50% along the last piece); the layer trains sparse when T_sparse of its
/// unpruned weights is below T_dense (a line through 1% and 10% alone was stretched to densities six times beyond its
/// points). The measurements go to
/// the <see cref="HostProfile"/>, so the same mask always gets the same kernels on a host (the two kernels add in
/// different orders, so the choice changes a run's bits). For the same reason the costs are measured on one thread,
/// whatever the slot's thread count: a silo with more slots (fewer threads each) must not choose differently. An unpruned
/// layer takes the cost model too (with <c>sparse</c> as well): the SIMD kernel over all its weights beats libtorch's
/// products for a layer with few outputs (the 10 classes of Fashion-MNIST: docs/throughput.md). Every layer on a device
/// without a sparse kernel trains dense.
/// </summary>
public static class KernelPlan
{
    /// <summary>Part of every measurement's key: raised when a kernel changes, so that measurements of the old code are not reused.</summary>
    public const int KernelVersion = 12;

    /// <summary>The kernel of each layer of <paramref name="model"/> with its current masks.</summary>
    public static IReadOnlyList<string> For(MaskedMlp model, TrainingSpec spec, HostProfile? profile = null)
    {
        string setting = spec.Kernel ?? KernelKinds.Auto;
        bool cpu = model.Device.type == TorchSharp.DeviceType.CPU;
        if (setting == KernelKinds.Sparse && !cpu)
        {
            throw new ArgumentException($"training.kernel: sparse runs on the CPU only, this silo trains on {model.Device} (use auto or dense)");
        }

        var kinds = new List<string>();
        for (int l = 0; l < model.LayerCount; l++)
        {
            bool prunable = model.PruneFlags[l];
            kinds.Add(setting switch
            {
                _ when !cpu => KernelKinds.Dense,
                KernelKinds.Dense => KernelKinds.Dense,
                KernelKinds.Sparse when prunable => KernelKinds.Sparse,
                _ => Cheaper(model, l, spec, profile ?? HostProfile.Default),
            });
        }

        return kinds;
    }

    /// <summary>Estimated milliseconds per step of one layer with each kernel (from the host profile, measuring if needed).</summary>
    public static (double Dense, double Sparse) Estimate(int inputs, int outputs, long unpruned, int batch, bool inputGradient, string optimizer, HostProfile profile)
    {
        string key = $"layer v{KernelVersion}|{inputs}x{outputs}|batch {batch}|input gradient {inputGradient}|{optimizer}";
        double[] m = profile.GetOrMeasure(key, () => Measure(inputs, outputs, batch, inputGradient, optimizer));
        return (m[0], Math.Max(0, unpruned <= m[4] ? Line(m[1], m[2], m[3], m[4], unpruned) : Line(m[3], m[4], m[5], m[6], unpruned)));
    }

    /// <summary>The value at <paramref name="count"/> of the line through (count0, ms0) and (count1, ms1).</summary>
    private static double Line(double ms0, double count0, double ms1, double count1, long count) =>
        ms0 + (ms1 - ms0) / Math.Max(1, count1 - count0) * (count - count0);

    private static string Cheaper(MaskedMlp model, int layer, TrainingSpec spec, HostProfile profile)
    {
        var mask = model.Mask(layer);
        long unpruned = mask.count_nonzero().item<long>();
        var (dense, sparse) = Estimate((int)mask.shape[1], (int)mask.shape[0], unpruned, spec.BatchSize, layer > 0, spec.Optimizer, profile);
        return sparse < dense ? KernelKinds.Sparse : KernelKinds.Dense;
    }

    /// <summary>[dense ms, then sparse ms and unpruned count at 1%, 10% and 50%].</summary>
    private static double[] Measure(int inputs, int outputs, int batch, bool inputGradient, string optimizer)
    {
        const int threads = 1;
        int before = TorchThreads.OfCurrentThread();
        try
        {
            TorchThreads.UseOnCurrentThread(threads);
            var spec = new TrainingSpec { Optimizer = optimizer };
            double dense = Time(inputs, outputs, batch, 1.0, inputGradient, spec, threads, KernelKinds.Dense, out _);
            double low = Time(inputs, outputs, batch, 0.01, inputGradient, spec, threads, KernelKinds.Sparse, out long lowCount);
            double middle = Time(inputs, outputs, batch, 0.10, inputGradient, spec, threads, KernelKinds.Sparse, out long middleCount);
            double high = Time(inputs, outputs, batch, 0.50, inputGradient, spec, threads, KernelKinds.Sparse, out long highCount);
            return [dense, low, lowCount, middle, middleCount, high, highCount];
        }
        finally
        {
            TorchThreads.UseOnCurrentThread(before);
        }
    }

    /// <summary>The shortest of several steps of one layer (forward, weight and input gradients, update) on random data.</summary>
    private static double Time(int inputs, int outputs, int batch, double density, bool inputGradient, TrainingSpec spec, int threads, string kind, out long unpruned)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        using var linear = nn.Linear(inputs, outputs);
        var mask = rand([outputs, inputs], generator: generator).lt(density).to_type(float32);
        unpruned = mask.count_nonzero().item<long>();
        using (no_grad())
        {
            linear.weight!.mul_(mask);
        }

        var inputT = randn([inputs, batch], generator: generator);
        var gradientT = randn([outputs, batch], generator: generator);
        using ILinearKernel kernel = kind == KernelKinds.Dense
            ? new DenseLinearKernel(linear, mask)
            : new SparseLinearKernel(linear, mask, spec, () => threads);
        using var update = ParameterUpdate.For(spec, kernel.UpdatesWeights ? [linear.bias!] : linear.parameters());
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int rep = 0; rep < 3 || (rep < 50 && total.Elapsed.TotalMilliseconds < 100); rep++)
        {
            using var stepScope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            kernel.Forward(inputT);
            kernel.Backward(gradientT, inputT, inputGradient);
            update.Step();
            kernel.Update();
            if (rep > 0)
            {
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
            }
        }

        return best;
    }
}
