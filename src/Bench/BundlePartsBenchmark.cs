using TorchSharp;
using System.Diagnostics;
using System.Globalization;
using Grid.Bench.Commands;
using Grid.Engine.Model.Hidden;
using Grid.Engine.Runtime;
using Grid.Engine.Training.Backprop;
using Grid.Engine.Training.Bundles;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>
/// The choices inside a bundled step, measured part by part for the three cases of issue 14 (layer widths, batch, K) on
/// one slot thread: each linear layer's forward and backward as K solo <see cref="DenseLinearKernel"/>s against one
/// <see cref="BundledLinear"/> (bmm), whether the bundle's slices have the solo bits, and the forward as baddbmm (bias
/// inside the product) instead of bmm then add; and a hidden layer's BatchNorm + ReLU through the SIMD kernel over
/// [K·features, B] against libtorch's batch_norm over [B, K·features]. Best of 5 rounds of at least 50 ms each.
/// </summary>
public static class BundlePartsBenchmark
{
    private sealed record Case(string Name, int[] Widths, int Batch, int K);

    private static readonly Case[] Cases =
    [
        new("small", [784, 128, 128, 128, 10], 100, 8),
        new("fashion", [784, 1024, 1024, 1024, 10], 1000, 4),
        new("paper", [3072, 1024, 1024, 1024, 1000], 1000, 2),
    ];

    public static void Run(BundlePartsSettings settings)
    {
        int[] threadCounts = settings.ThreadCounts;
        string? only = settings.Only;
        var thread = new Thread(() =>
        {
            TorchRuntime.EnsureLoaded();
            foreach (int threads in threadCounts)
            {
                var budget = ThreadBudget.Fixed(threads);
                budget.EnsureStarted();
                foreach (var workload in Cases.Where(c => only is null || c.Name == only))
                {
                    Measure(workload, budget);
                }
            }
        })
        { Name = "bundle parts benchmark slot" };
        thread.Start();
        thread.Join();
    }

    private static void Measure(Case workload, ThreadBudget budget)
    {
        Console.WriteLine($"\n{workload.Name}: {string.Join('-', workload.Widths)}, batch {workload.Batch}, K = {workload.K}, {budget.Threads} thread(s); ms per part for all K members");
        Console.WriteLine($"{"part",-36} {"K x solo",9} {"bundle",9} {"ratio",6}  bits   {"baddbmm",9} bits");
        using var generator = new Generator(1);
        int k = workload.K, batch = workload.Batch;
        for (int l = 0; l + 1 < workload.Widths.Count(); l++)
        {
            using var scope = NewDisposeScope();
            int inputs = workload.Widths[l], outputs = workload.Widths[l + 1];
            var weight = randn([k, outputs, inputs], generator: generator).AsParameter();
            var bias = randn([k, outputs], generator: generator).AsParameter();
            var mask = ones(k, outputs, inputs);
            var inputT = randn([k, inputs, batch], generator: generator);
            var gradientT = randn([k, outputs, batch], generator: generator);
            var linears = Enumerable.Range(0, k).Select(m => Linear(weight[m], bias[m])).ToArray();
            var solo = linears.Select((linear, m) => new DenseLinearKernel(linear, mask[m])).ToArray();
            var bundled = new BundledLinear(weight, bias, mask);
            string few = DenseLinearKernel.FewRows(outputs, inputs) ? " (transposed)" : "";

            var forward = bundled.Forward(inputT);
            bool sameForward = Enumerable.Range(0, k).All(m => solo[m].Forward(inputT[m]).eq(forward[m]).all().item<bool>());
            double soloForward = Milliseconds(() => { for (int m = 0; m < k; m++) { solo[m].Forward(inputT[m]); } });
            double bundleForward = Milliseconds(() => bundled.Forward(inputT));
            var fused = Baddbmm(weight, bias, inputT);
            if (!fused.allclose(forward, rtol: 1e-4, atol: 1e-3))
            {
                throw new InvalidOperationException("baddbmm does not compute the layer's forward");
            }

            double baddbmm = Milliseconds(() => Baddbmm(weight, bias, inputT));
            Print($"layer {l + 1} {inputs}x{outputs} forward{few}", soloForward, bundleForward, sameForward, baddbmm, fused.eq(forward).all().item<bool>());

            bool inputGradient = l > 0;
            var bundledInput = bundled.Backward(gradientT, inputT, inputGradient);
            var bundledWeightGradient = weight.grad!.clone();
            bool sameBackward = Enumerable.Range(0, k).All(m =>
            {
                var soloInput = solo[m].Backward(gradientT[m], inputT[m], inputGradient);
                return linears[m].weight!.grad!.eq(bundledWeightGradient[m]).all().item<bool>()
                    && (soloInput is null || soloInput.eq(bundledInput![m]).all().item<bool>());
            });
            double soloBackward = Milliseconds(() => { for (int m = 0; m < k; m++) { solo[m].Backward(gradientT[m], inputT[m], inputGradient); } });
            double bundleBackward = Milliseconds(() => bundled.Backward(gradientT, inputT, inputGradient));
            Print($"layer {l + 1} backward{(inputGradient ? "" : " (no dA)")}", soloBackward, bundleBackward, sameBackward, double.NaN);
        }

        MeasureHidden(workload, budget, generator);
    }

    /// <summary>BatchNorm + ReLU of the first hidden layer in training mode, forward then backward.</summary>
    private static void MeasureHidden(Case workload, ThreadBudget budget, Generator generator)
    {
        using var scope = NewDisposeScope();
        int k = workload.K, features = workload.Widths[1], batch = workload.Batch;
        var kernel = new SimdHiddenKernel(() => budget.Threads);
        var h = randn([k * features, batch], generator: generator);
        var gamma = ones(k * features);
        var beta = zeros(k * features);
        var gradient = randn([k * features, batch], generator: generator);
        double soloMs = Milliseconds(() =>
        {
            for (int m = 0; m < k; m++)
            {
                var rows = h.narrow(0, m * features, features);
                using var state = kernel.Forward(rows, gamma.narrow(0, m * features, features), beta.narrow(0, m * features, features), 1e-3);
                kernel.Backward(gradient.narrow(0, m * features, features), state, gamma.narrow(0, m * features, features));
            }
        });
        double bundleMs = Milliseconds(() =>
        {
            using var state = kernel.Forward(h, gamma, beta, 1e-3);
            kernel.Backward(gradient, state, gamma);
        });
        // libtorch's BatchNorm over [B, K·features] (its layout), forward only, autograd off
        var rowMajor = h.t().contiguous();
        var runningMean = zeros(k * features);
        var runningVar = ones(k * features);
        double libtorchMs = Milliseconds(() => nn.functional.relu(nn.functional.batch_norm(rowMajor, runningMean, runningVar, gamma, beta, training: true, momentum: 0.01, eps: 1e-3)));
        Print($"BN+ReLU {features} fwd+bwd (SIMD)", soloMs, bundleMs, true, double.NaN);
        Console.WriteLine(FormattableString.Invariant($"{"  libtorch batch_norm fwd only",-36} {"",9} {libtorchMs,9:F3}   (over [B, K·features]; its sums depend on the thread count)"));
    }

    /// <summary>bias + W·Aᵀ in one baddbmm. TorchSharp 0.107's <c>Tensor.baddbmm(batch1, batch2)</c> hands the native call
    /// (receiver, batch1, batch2) where it expects (batch1, batch2, input), so the receiver here is the first batch.</summary>
    private static Tensor Baddbmm(Tensor weight, Tensor bias, Tensor inputT) =>
        DenseLinearKernel.FewRows(weight.shape[1], inputT.shape[1])
            ? inputT.transpose(1, 2).baddbmm(weight.transpose(1, 2), bias.unsqueeze(1)).transpose(1, 2).contiguous()
            : weight.baddbmm(inputT, bias.unsqueeze(2));

    private static Linear Linear(Tensor weight, Tensor bias)
    {
        var linear = nn.Linear(weight.shape[1], weight.shape[0]);
        linear.weight = weight.detach().AsParameter();
        linear.bias = bias.detach().AsParameter();
        return linear;
    }

    private static void Print(string part, double solo, double bundle, bool sameBits, double alternative, bool? alternativeSameBits = null) =>
        Console.WriteLine(FormattableString.Invariant(
            $"{part,-36} {solo,9:F3} {bundle,9:F3} {solo / bundle,6:F2}  {Bits(sameBits),-5}  {(double.IsNaN(alternative) ? "" : alternative.ToString("F3", CultureInfo.InvariantCulture)),9} {(alternativeSameBits is { } same ? Bits(same) : "")}"));

    private static string Bits(bool same) => same ? "same" : "DIFF";

    private static double Milliseconds(Action action)
    {
        using (NewDisposeScope())
        {
            action();
        }

        double best = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            int count = 0;
            while (count < 3 || clock.Elapsed.TotalMilliseconds < 50)
            {
                using var scope = NewDisposeScope();
                action();
                count++;
            }

            best = Math.Min(best, clock.Elapsed.TotalMilliseconds / count);
        }

        return best;
    }
}
