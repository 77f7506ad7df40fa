using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>
/// This machine's dense fp32 matmul throughput, the compute bound of FCN training: the best of several warm 2048³
/// products with the calling thread's libtorch threads (the training thread's count, so that training is compared with
/// what the same threads can do), beside the processor's theoretical peak.
/// </summary>
public static class MatmulRoofline
{
    public static double MeasureGflops(Device device, int size = 2048, int repetitions = 10)
    {
        using var a = randn([size, size], device: device);
        using var b = randn([size, size], device: device);
        for (int i = 0; i < 3; i++)
        {
            using var warm = a.matmul(b);
        }

        double best = double.MaxValue;
        for (int i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.matmul(b);
            _ = c[0, 0].item<float>(); // synchronise on accelerators
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return 2.0 * size * size * size / best / 1e9;
    }

    /// <summary>
    /// cores × fp32 FMA lanes per cycle × 2 flops × clock. The lanes per cycle are measured (<see cref="FmaThroughput"/>),
    /// not assumed: Zen 4 executes a 512-bit FMA as two 256-bit halves (16 lanes a cycle), Zen 5 and Intel's server cores
    /// have two full 512-bit units (32 lanes a cycle), and a count fixed at Zen 4's put Zen 5's peak at half its value. The
    /// clock is the higher of the one the OS reports and the one measured (<see cref="MeasuredClockMhz"/>: a virtual
    /// machine reports the base clock while the core runs at its turbo clock, which let the probe read 109% of a "peak" at
    /// 2.6 GHz).
    /// </summary>
    public static (double Gflops, string Formula)? TheoreticalPeak(int cores)
    {
        double measured = MeasuredClockMhz(), reported = MaxFrequencyMhz() ?? 0;
        double clock = Math.Max(reported, measured);
        if (clock <= 0)
        {
            return null;
        }

        var fma = FmaThroughput(clock);
        double peak = cores * fma.LanesPerCycle * 2 * clock / 1000;
        return (peak, FormattableString.Invariant($"{cores} cores x {fma.LanesPerCycle} fp32 FMA lanes a cycle ({fma.Description}) x 2 flops x {clock / 1000:F2} GHz (reported {reported / 1000:F2}, measured {measured / 1000:F2})"));
    }

    /// <summary>The fp32 fused multiply-add lanes one core completes per cycle at <paramref name="clockMhz"/>: the widest
    /// vector's FMAs in twelve independent chains (more than the FMA units × their latency, so that the units, not the
    /// chains, bound them), best of five runs, rounded to a power of two.</summary>
    public static (int LanesPerCycle, string Description) FmaThroughput(double clockMhz)
    {
        const long rounds = 20_000_000;
        const int chains = 12;
        bool wide = Vector512.IsHardwareAccelerated;
        int lanes = wide ? Vector512<float>.Count : Vector<float>.Count;
        double best = double.MaxValue;
        for (int run = 0; run < 5; run++)
        {
            var clock = Stopwatch.StartNew();
            float sink = wide ? FmaChains512(rounds) : FmaChainsVector(rounds);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            GC.KeepAlive(sink);
        }

        double perCycle = rounds * chains * lanes / best / (clockMhz * 1e6);
        int rounded = 1 << (int)Math.Round(Math.Log2(Math.Max(1, perCycle)));
        return (rounded, FormattableString.Invariant($"measured {perCycle:F1}: {(double)rounded / lanes:0.#} {lanes * 32}-bit FMAs a cycle"));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains512(long rounds)
    {
        var m = Vector512.Create(0.9999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < rounds; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }

        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).GetElement(0);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaChainsVector(long rounds)
    {
        var m = new Vector<float>(0.9999999f);
        var c = new Vector<float>(1e-7f);
        Vector<float> a0 = Vector<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < rounds; i++)
        {
            a0 = Vector.FusedMultiplyAdd(a0, m, c);
            a1 = Vector.FusedMultiplyAdd(a1, m, c);
            a2 = Vector.FusedMultiplyAdd(a2, m, c);
            a3 = Vector.FusedMultiplyAdd(a3, m, c);
            a4 = Vector.FusedMultiplyAdd(a4, m, c);
            a5 = Vector.FusedMultiplyAdd(a5, m, c);
            a6 = Vector.FusedMultiplyAdd(a6, m, c);
            a7 = Vector.FusedMultiplyAdd(a7, m, c);
            a8 = Vector.FusedMultiplyAdd(a8, m, c);
            a9 = Vector.FusedMultiplyAdd(a9, m, c);
            a10 = Vector.FusedMultiplyAdd(a10, m, c);
            a11 = Vector.FusedMultiplyAdd(a11, m, c);
        }

        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11)[0];
    }

    /// <summary>The core's clock, measured: a chain of dependent fused multiply-adds, each waiting 4 cycles for the one
    /// before (the latency of a scalar FMA on Zen 4, Zen 5 and Intel cores since Skylake), best of five runs.</summary>
    public static double MeasuredClockMhz()
    {
        const long links = 200_000_000;
        double best = double.MaxValue;
        for (int run = 0; run < 5; run++)
        {
            var clock = Stopwatch.StartNew();
            double sink = FmaChain(links);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            GC.KeepAlive(sink);
        }

        return 4.0 * links / best / 1e6;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double FmaChain(long links)
    {
        double x = 1;
        for (long i = 0; i < links; i++)
        {
            x = Math.FusedMultiplyAdd(x, 0.9999999, 1e-9);
        }

        return x;
    }

    /// <summary>Prints the probe and the peak for <paramref name="threads"/> threads (the calling thread's count).</summary>
    public static void Print(int threads)
    {
        double measured = MeasureGflops(CPU);
        Console.WriteLine(FormattableString.Invariant($"fp32 matmul roofline (2048^3, best of 10 warm runs, {threads} threads): {measured:F1} GFLOP/s"));
        if (TheoreticalPeak(threads) is { } peak)
        {
            Console.WriteLine(FormattableString.Invariant($"theoretical fp32 peak: {peak.Formula} = {peak.Gflops:F1} GFLOP/s (probe at {measured / peak.Gflops:P0})"));
        }
    }

    private static double? MaxFrequencyMhz()
    {
        const string cpufreq = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
        try
        {
            if (File.Exists(cpufreq))
            {
                return double.Parse(File.ReadAllText(cpufreq).Trim(), CultureInfo.InvariantCulture) / 1000;
            }

            if (File.Exists("/proc/cpuinfo"))
            {
                var clocks = File.ReadLines("/proc/cpuinfo").Where(l => l.StartsWith("cpu MHz", StringComparison.Ordinal))
                    .Select(l => double.Parse(l.Split(':', 2)[1].Trim(), CultureInfo.InvariantCulture)).ToList();
                return clocks.Count > 0 ? clocks.Max() : null;
            }
        }
        catch (Exception error) when (error is IOException or FormatException)
        {
        }

        return null;
    }
}
