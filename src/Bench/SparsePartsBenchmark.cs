using System.Diagnostics;
using System.Globalization;
using Grid.Bench.Commands;
using Grid.Engine.Numerics;
using Grid.Engine.Training.Backprop;

namespace Grid.Bench;

/// <summary>
/// The sparse kernel's parts alone, for one layer at densities u: the forward product (CSR), the weight gradient (dots
/// at the unpruned weights), the input gradient (CSC) and the packings of their dense operands, against the alternatives
/// not taken (<see cref="SparseAlternatives"/>). All parts run in turn within each round (interleaved); per part the
/// median ms and GFMA/s (unpruned weights x batch per second) over the rounds, and for an alternative its time over the
/// engine's in the same round, median [min–max], and its largest difference from the engine's results. libtorch's own
/// sparse product (COO: TorchSharp 0.107 has no CSR) is measured beside them.
/// </summary>
public static unsafe class SparsePartsBenchmark
{
    private sealed record Part(string Name, string? Against, Action Run, Func<float[]>? Result);

    public static void Run(SparsePartsSettings settings)
    {
        int outputs = settings.Outputs, inputs = settings.Inputs, n = settings.Batch;
        int rounds = settings.Rounds, repetitions = settings.Repetitions, block = settings.Block;
        double[] densities = settings.Densities;
        int[] threadCounts = settings.ThreadCounts;
        Console.WriteLine($"layer {outputs}x{inputs}, batch {n}; {rounds} rounds of {repetitions} calls per part, parts interleaved; L1 blocks of {block} rows; load average {Machine.LoadAverage()}");
        if (!SparseAlternatives.Available)
        {
            Console.WriteLine("(no 512-bit vectors here: the alternatives are skipped)");
        }

        Console.WriteLine($"{"u",7} {"threads",7}  {"part",-34} {"ms",8} {"GFMA/s",7}  {"x engine [min-max]",-22} {"max diff",8}");
        foreach (double u in densities)
        {
            var layout = RandomLayout(outputs, inputs, u, seed: 1);
            foreach (int threads in threadCounts)
            {
                Measure(layout, n, threads, rounds, repetitions, block, u);
            }
        }

        Console.WriteLine($"load average {Machine.LoadAverage()}");
    }

    private static void Measure(SparseLayout layout, int n, int threads, int rounds, int repetitions, int block, double u)
    {
        var random = new Random(2);
        int stride = Padded(n);
        float[] input = Filled(layout.Inputs * n, random), gradient = Filled(layout.Outputs * n, random);
        float[] rowValues = Filled(layout.Count, random), columnValues = Filled(layout.Count, random), bias = Filled(layout.Outputs, random);
        float[] paddedInput = PadRows(input, layout.Inputs, n, stride), paddedGradient = PadRows(gradient, layout.Outputs, n, stride);
        float[] output = new float[layout.Outputs * n], inputGradient = new float[layout.Inputs * n], dots = new float[layout.Count], scratch = new float[layout.Count];
        using var packedInput = new PackedRows();
        using var packedGradient = new PackedRows();
        fixed (float* x = input, g = gradient, v = rowValues, cv = columnValues, b = bias, px = paddedInput, pg = paddedGradient, y = output, dx = inputGradient, d = dots)
        {
            float* xp = x, gp = g, vp = v, cvp = cv, bp = b, pxp = px, pgp = pg, yp = y, dxp = dx, dp = d;
            var parts = new List<Part>
            {
                new("pack input", null, () => packedInput.FillRows(xp, layout.Inputs, n, threads), null),
                new("forward (CSR)", null, () => SparseProducts.Combine(layout.Outputs, n, layout.RowStarts, layout.RowInputs, vp, packedInput, bp, yp, threads), () => [.. output]),
                new("pack gradient", null, () => packedGradient.FillRows(gp, layout.Outputs, n, threads), null),
                new("weight gradient (dots)", null, () => SparseLinearKernel.WeightGradient(layout, n, packedGradient, packedInput, dp, scratch, threads), () => [.. dots]),
                new(SparseLinearKernel.WalksByInput(layout) ? "  weights, by output (CSR walk)" : "  weights, by input (CSC walk)", "weight gradient (dots)",
                    () => SparseLinearKernel.WeightGradient(layout, n, packedGradient, packedInput, dp, scratch, threads, byInput: !SparseLinearKernel.WalksByInput(layout)), () => [.. dots]),
                new("input gradient (CSC)", null, () => SparseProducts.Combine(layout.Inputs, n, layout.ColumnStarts, layout.ColumnOutputs, cvp, packedGradient, null, dxp, threads), () => [.. inputGradient]),
            };
            if (SparseAlternatives.Available)
            {
                parts.AddRange(
                [
                    new("  forward, L1-blocked sources", "forward (CSR)", () => SparseAlternatives.CombineBlocked(layout.Outputs, n, layout.RowStarts, layout.RowInputs, vp, packedInput, layout.Inputs, bp, yp, threads, block), () => [.. output]),
                    new("  forward, unpacked source", "forward (CSR)", () => SparseAlternatives.CombineUnpacked(layout.Outputs, n, layout.RowStarts, layout.RowInputs, vp, pxp, stride, bp, yp, threads), () => [.. output]),
                    new("  weights, L1-blocked sources", "weight gradient (dots)", () => SparseAlternatives.DotsBlocked(layout.Outputs, n, layout.RowStarts, layout.RowInputs, gp, packedInput, layout.Inputs, dp, threads, block), () => [.. dots]),
                    new("  weights, unpacked source", "weight gradient (dots)", () => SparseAlternatives.DotsUnpacked(layout.Outputs, n, layout.RowStarts, layout.RowInputs, gp, pxp, stride, dp, threads), () => [.. dots]),
                    new("  weights, 512-bit chunk pairs", "weight gradient (dots)", () => SparseAlternatives.DotsPaired(layout.Outputs, n, layout.RowStarts, layout.RowInputs, gp, packedInput, dp, threads), () => [.. dots]),
                    new("  input gradient, unpacked", "input gradient (CSC)", () => SparseAlternatives.CombineUnpacked(layout.Inputs, n, layout.ColumnStarts, layout.ColumnOutputs, cvp, pgp, stride, null, dxp, threads), () => [.. inputGradient]),
                ]);
            }

            using var cooWeights = Coo(layout.Outputs, layout.Inputs, layout.RowStarts, layout.RowInputs, rowValues);
            using var inputTensor = TorchSharp.torch.tensor(input, [layout.Inputs, n]);
            using var gradientTensor = TorchSharp.torch.tensor(gradient, [layout.Outputs, n]);
            using var cooTransposed = Coo(layout.Inputs, layout.Outputs, layout.ColumnStarts, layout.ColumnOutputs, columnValues);
            using var biasColumn = TorchSharp.torch.tensor(bias, [layout.Outputs, 1]);
            parts.Add(new("  forward, libtorch COO mm", "forward (CSR)", () => Product(cooWeights, inputTensor, biasColumn).Dispose(), () => Floats(Product(cooWeights, inputTensor, biasColumn))));
            parts.Add(new("  input gradient, libtorch COO mm", "input gradient (CSC)", () => Product(cooTransposed, gradientTensor, null).Dispose(), () => Floats(Product(cooTransposed, gradientTensor, null))));
            var times = parts.ToDictionary(p => p.Name, _ => new List<double>());
            var differences = new Dictionary<string, double>();
            var reference = new Dictionary<string, float[]>();
            for (int round = 0; round < rounds; round++)
            {
                foreach (var part in parts)
                {
                    part.Run();
                    if (round == 0 && part.Result is not null)
                    {
                        var result = part.Result();
                        if (part.Against is null)
                        {
                            reference[part.Name] = result;
                        }
                        else
                        {
                            differences[part.Name] = LargestDifference(reference[part.Against], result);
                        }
                    }

                    var clock = Stopwatch.StartNew();
                    for (int r = 0; r < repetitions; r++)
                    {
                        part.Run();
                    }

                    times[part.Name].Add(clock.Elapsed.TotalMilliseconds / repetitions);
                }
            }

            foreach (var part in parts)
            {
                double ms = Statistics.Median(times[part.Name]);
                string rate = part.Result is null ? "" : (layout.Count * (double)n / ms / 1e6).ToString("F1", CultureInfo.InvariantCulture);
                string ratio = "", difference = "";
                if (part.Against is { } against)
                {
                    ratio = PairedRatios.Describe(times[part.Name], times[against], "F2");
                    difference = differences.TryGetValue(part.Name, out double largest) ? largest.ToString("E1", CultureInfo.InvariantCulture) : "";
                }

                Console.WriteLine(FormattableString.Invariant($"{u,7:P1} {threads,7}  {part.Name,-34} {ms,8:F3} {rate,7}  {ratio,-22} {difference,8}"));
            }
        }
    }

    /// <summary>N rounded up to a whole chunk, and one more cache line when that is a multiple of 4 KB (rows 4 KB apart
    /// share cache sets).</summary>
    private static int Padded(int n)
    {
        int stride = (n + SparseProducts.Chunk - 1) / SparseProducts.Chunk * SparseProducts.Chunk;
        return stride % 1024 == 0 ? stride + 16 : stride;
    }

    private static float[] PadRows(float[] values, int rows, int n, int stride)
    {
        var padded = new float[(long)rows * stride + SparseProducts.Chunk];
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(values, (long)r * n, padded, (long)r * stride, n);
        }

        return padded;
    }

    /// <summary>The largest absolute difference, over the largest magnitude of the engine's result.</summary>
    private static double LargestDifference(float[] engine, float[] alternative)
    {
        double largest = 0, scale = 1e-30;
        for (int i = 0; i < engine.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(engine[i] - alternative[i]));
            scale = Math.Max(scale, Math.Abs(engine[i]));
        }

        return largest / scale;
    }

    private static TorchSharp.torch.Tensor Product(TorchSharp.torch.Tensor sparse, TorchSharp.torch.Tensor dense, TorchSharp.torch.Tensor? bias)
    {
        var product = sparse.mm(dense);
        return bias is null ? product : product.add_(bias);
    }

    private static float[] Floats(TorchSharp.torch.Tensor tensor)
    {
        using (tensor)
        {
            return tensor.data<float>().ToArray();
        }
    }

    /// <summary>libtorch's COO tensor (TorchSharp 0.107 has no CSR) of a layout's entries in CSR or CSC order.</summary>
    private static TorchSharp.torch.Tensor Coo(int rows, int columns, int[] starts, int[] entries, float[] values)
    {
        int count = starts[rows];
        var indices = new long[2 * count];
        for (int j = 0; j < rows; j++)
        {
            for (int k = starts[j]; k < starts[j + 1]; k++)
            {
                indices[k] = j;
                indices[count + k] = entries[k];
            }
        }

        using var i = TorchSharp.torch.tensor(indices, [2, count]);
        using var v = TorchSharp.torch.tensor(values, [count]);
        return TorchSharp.torch.sparse_coo_tensor(i, v, [rows, columns]);
    }

    private static SparseLayout RandomLayout(int outputs, int inputs, double u, int seed)
    {
        var random = new Random(seed);
        var mask = new float[outputs * inputs];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextDouble() < u ? 1 : 0;
        }

        return SparseLayout.FromMask(mask, outputs, inputs);
    }

    private static float[] Filled(int count, Random random)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
