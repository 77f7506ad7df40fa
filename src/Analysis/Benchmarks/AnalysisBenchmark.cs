using System.Diagnostics;
using System.Globalization;
using Grid.Analysis.Masks;
using Grid.Analysis.Observables;
using static Grid.Engine.Numerics.Statistics;

namespace Grid.Analysis.Benchmarks;

/// <summary>
/// Times S(d) + connectivity for the paper's first layer (1024 nodes x 3072 = 3x32x32 inputs) at u = 1%:
/// three warm-up runs (native library load, JIT tiering), then the median of five, each on a fresh random mask.
/// Run it from a Release build: the sparse path is plain C# loops.
/// </summary>
public static class AnalysisBenchmark
{
    /// <summary>The reference figure (u = 1%, sparse path) and, for comparison, u = 10% (dense matmul path).</summary>
    public static void Run(TextWriter output)
    {
        Run(output, nodes: 1024, geometry: new InputGeometry(3, 32, 32), unprunedFraction: 0.01, repetitions: 5);
        Run(output, nodes: 1024, geometry: new InputGeometry(3, 32, 32), unprunedFraction: 0.10, repetitions: 5);
    }

    public static void Run(TextWriter output, int nodes, InputGeometry geometry, double unprunedFraction, int repetitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var random = new Random(20240601);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"S(d) + connectivity, {nodes} nodes x {geometry.InputCount} inputs ({geometry}), u = {unprunedFraction:P2}, {Environment.ProcessorCount} cores"));

        double warmUp = TimeOnce(RandomMask(nodes, geometry.InputCount, unprunedFraction, random), geometry, out _, out _);
        for (int w = 0; w < 2; w++)
        {
            TimeOnce(RandomMask(nodes, geometry.InputCount, unprunedFraction, random), geometry, out _, out _);
        }
        var timings = new List<double>();
        var displacementTimings = new List<double>();
        var cpuTimings = new List<double>();
        for (int r = 0; r < repetitions; r++)
        {
            timings.Add(TimeOnce(RandomMask(nodes, geometry.InputCount, unprunedFraction, random), geometry, out double displacement, out double cpu));
            displacementTimings.Add(displacement);
            cpuTimings.Add(cpu);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  first run {warmUp:F1} ms; median of {repetitions}: {Median(timings):F1} ms wall ({Median(displacementTimings):F1} ms of it S(d)), " +
            $"{Median(cpuTimings):F1} ms process CPU; wall min {timings.Min():F1} ms, max {timings.Max():F1} ms; " +
            $"load average {LoadAverage()}"));
    }

    private static double TimeOnce(LayerMask mask, InputGeometry geometry, out double displacementMilliseconds, out double cpuMilliseconds)
    {
        using var process = Process.GetCurrentProcess();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        DisplacementMap map = DisplacementHistogram.Compute(mask, geometry);
        displacementMilliseconds = watch.Elapsed.TotalMilliseconds;
        int[] inDegree = Connectivity.InputConnectivity(mask);
        PixelMap outMap = Connectivity.InputOutputConnectivityMap(mask, geometry);
        ConnectivityHistogram histogram = ConnectivityHistogram.Build(inDegree, mask.Inputs, Connectivity.UnprunedFraction(mask));
        double elapsed = watch.Elapsed.TotalMilliseconds;
        process.Refresh();
        cpuMilliseconds = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        GC.KeepAlive(map);
        GC.KeepAlive(outMap);
        GC.KeepAlive(histogram);
        return elapsed;
    }

    private static LayerMask RandomMask(int nodes, int inputs, double unprunedFraction, Random random) =>
        RandomMasks.Bernoulli(nodes, inputs, unprunedFraction, random);

    /// <summary>The 1-minute load average on Linux (other processes competing for the cores), else "n/a".</summary>
    private static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? File.ReadAllText(path).Split(' ')[0] : "n/a";
    }
}
