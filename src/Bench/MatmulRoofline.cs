using System.Diagnostics;
using System.Globalization;
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
    /// counted as two 256-bit ones, as Zen 4 executes them) and the highest clock the OS reports (a turbo clock above it
    /// lets a measurement exceed this figure). Null where no clock is reported.
    /// </summary>
    public static (double Gflops, string Formula)? TheoreticalPeak(int cores)
    {
        double? mhz = MaxFrequencyMhz();
        if (mhz is not { } clock)
        {
            return null;
        }

        const int fmaUnits = 2, lanes = 8;
        double peak = cores * fmaUnits * lanes * 2 * clock / 1000;
        return (peak, FormattableString.Invariant($"{cores} cores x {fmaUnits} FMA units x {lanes} fp32 lanes x 2 flops x {clock / 1000:F2} GHz"));
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
