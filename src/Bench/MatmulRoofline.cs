using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
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
    /// cores × FMA units × fp32 lanes × 2 flops × clock, with 2 FMA units of 256 bits (AVX2; 512-bit AVX-512 units are
    /// counted as two 256-bit ones, as Zen 4 executes them) and the higher of the clock the OS reports and the clock
    /// measured (<see cref="MeasuredClockMhz"/>: a virtual machine reports the base clock while the core runs at its
    /// turbo clock, which let the probe read 109% of a "peak" at 2.6 GHz).
    /// </summary>
    public static (double Gflops, string Formula)? TheoreticalPeak(int cores)
    {
        double measured = MeasuredClockMhz(), reported = MaxFrequencyMhz() ?? 0;
        double clock = Math.Max(reported, measured);
        if (clock <= 0)
        {
            return null;
        }

        const int fmaUnits = 2, lanes = 8;
        double peak = cores * fmaUnits * lanes * 2 * clock / 1000;
        return (peak, FormattableString.Invariant($"{cores} cores x {fmaUnits} FMA units x {lanes} fp32 lanes x 2 flops x {clock / 1000:F2} GHz (reported {reported / 1000:F2}, measured {measured / 1000:F2})"));
    }

    /// <summary>The core's clock, measured: a chain of dependent fused multiply-adds, each waiting 4 cycles for the one
    /// before (the latency of a scalar FMA on Zen 4 and on Intel cores since Skylake), best of five runs.</summary>
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
