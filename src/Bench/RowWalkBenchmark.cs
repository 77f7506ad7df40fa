using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Grid.Bench.Commands;

namespace Grid.Bench;

/// <summary>
/// The sparse products' memory bound: how fast a core reads rows of one packed chunk (64 floats, 256 bytes each) in the
/// order of a sparse layer's entries, with one fused multiply-add per vector read and nothing else (no indices' or
/// coefficients' loads, no stores), random and in sorted runs of 512 (as a CSR row's entries are sorted). A sparse product
/// reads one source value per multiply-add, so it cannot run faster than these lanes per second.
/// </summary>
public static unsafe class RowWalkBenchmark
{
    private const int RowFloats = 64;
    private const int Entries = 1 << 20;
    private const int SortedRun = 512;

    public static void Run(RowWalkSettings settings)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Console.WriteLine("row-walk measures the engine's 512-bit combining loop; this processor has no 512-bit vectors, so the engine's products take their Vector<T> loop and this bound does not apply.");
            return;
        }

        double clock = MatmulRoofline.MeasuredClockMhz() * 1e6;
        Console.WriteLine(FormattableString.Invariant($"rows of {RowFloats} floats read in the order of {Entries} entries, one 512-bit FMA per 64 bytes; clock measured {clock / 1e9:F2} GHz; best of {settings.Rounds} rounds"));
        Console.WriteLine($"{"rows",6} {"KB",6} {"threads",8} {"order",8} {"GB/s per core",14} {"B/cycle",8} {"G lanes/s per core",19}");
        foreach (int rows in settings.Rows)
        {
            foreach (int threads in settings.ThreadCounts)
            {
                foreach (bool sorted in new[] { false, true })
                {
                    double seconds = Best(rows, threads, sorted, settings.Rounds);
                    double bytes = (double)Entries * RowFloats * sizeof(float);
                    Console.WriteLine(FormattableString.Invariant(
                        $"{rows,6} {rows * RowFloats * sizeof(float) / 1024,6} {threads,8} {(sorted ? "sorted" : "random"),8} {bytes / seconds / 1e9,14:F1} {bytes / seconds / clock,8:F1} {(double)Entries * RowFloats / seconds / 1e9,19:F1}"));
                }
            }
        }

        Console.WriteLine($"load average {Machine.LoadAverage()}");
    }

    /// <summary>The slowest walk of <paramref name="threads"/> running at once, best of the rounds (seconds per walk).</summary>
    private static double Best(int rows, int threads, bool sorted, int rounds)
    {
        var chunks = Enumerable.Range(0, threads).Select(_ => (IntPtr)Chunk(rows)).ToArray();
        var orders = Enumerable.Range(0, threads).Select(t => Order(rows, sorted, seed: 17 + t)).ToArray();
        try
        {
            double best = double.MaxValue;
            for (int round = 0; round < rounds; round++)
            {
                var seconds = new double[threads];
                var walkers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
                {
                    var clock = Stopwatch.StartNew();
                    float sink = Walk((float*)chunks[t], orders[t]);
                    seconds[t] = clock.Elapsed.TotalSeconds;
                    GC.KeepAlive(sink);
                })).ToList();
                walkers.ForEach(w => w.Start());
                walkers.ForEach(w => w.Join());
                best = Math.Min(best, seconds.Max());
            }

            return best;
        }
        finally
        {
            foreach (var chunk in chunks)
            {
                NativeMemory.AlignedFree((void*)chunk);
            }
        }
    }

    private static float* Chunk(int rows)
    {
        var chunk = (float*)NativeMemory.AlignedAlloc((nuint)((long)rows * RowFloats * sizeof(float)), 64);
        for (long i = 0; i < (long)rows * RowFloats; i++)
        {
            chunk[i] = 1e-3f * (i % 7);
        }

        return chunk;
    }

    private static int[] Order(int rows, bool sorted, int seed)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, Entries).Select(_ => random.Next(rows)).ToArray();
        if (sorted)
        {
            for (int start = 0; start < Entries; start += SortedRun)
            {
                Array.Sort(order, start, Math.Min(SortedRun, Entries - start));
            }
        }

        return order;
    }

    /// <summary>Two entries per round, each with its own four accumulators, as the engine's 512-bit combining loop.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Walk(float* chunk, int[] order)
    {
        var c = Vector512.Create(0.5f);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        fixed (int* rows = order)
        {
            for (int e = 0; e + 1 < order.Length; e += 2)
            {
                float* s = chunk + (long)rows[e] * RowFloats, t = chunk + (long)rows[e + 1] * RowFloats;
                a0 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s), a0);
                a1 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s + 48), a3);
                b0 = Vector512.FusedMultiplyAdd(c, Vector512.Load(t), b0);
                b1 = Vector512.FusedMultiplyAdd(c, Vector512.Load(t + 16), b1);
                b2 = Vector512.FusedMultiplyAdd(c, Vector512.Load(t + 32), b2);
                b3 = Vector512.FusedMultiplyAdd(c, Vector512.Load(t + 48), b3);
            }
        }

        return (a0 + a1 + a2 + a3 + b0 + b1 + b2 + b3).GetElement(0);
    }
}
