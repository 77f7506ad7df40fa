using System.Diagnostics;
using System.Globalization;
using Grid.Bench.Commands;
using Grid.Engine.Runtime;
using static Grid.Engine.Numerics.Statistics;

namespace Grid.Bench;

/// <summary>
/// MKL's kernels with Grid's dispatch (<c>GRID_MKL_AVX512=auto</c>, the default) against MKL's own choice (<c>off</c>),
/// in interleaved pairs of processes, since MKL picks its kernels once per process. Each process is <c>engine --only W
/// --steps S</c>; the benchmark prints the kernels each side ran, every pair's 2048³ roofline and dense step, their
/// medians, and the ratios' median [min-max], with the load average before and after.
/// </summary>
public static class MklDispatchBenchmark
{
    public sealed record Side(string Setting, string Kernels, double RooflineGflops, double StepMs);

    public static void Run(MklDispatchSettings settings)
    {
        Console.WriteLine($"{MklDispatch.Variable}: auto (Grid's dispatch) against off (MKL's own choice); engine --only {settings.Only} --steps {settings.Steps}; {settings.Pairs} pairs, order alternating; load average before: {Machine.LoadAverage()}");
        var auto = new List<Side>();
        var off = new List<Side>();
        for (int pair = 0; pair < settings.Pairs; pair++)
        {
            bool autoFirst = pair % 2 == 0;
            var first = Measure(autoFirst ? "auto" : "off", settings);
            var second = Measure(autoFirst ? "off" : "auto", settings);
            auto.Add(autoFirst ? first : second);
            off.Add(autoFirst ? second : first);
            Console.WriteLine(FormattableString.Invariant(
                $"  pair {pair + 1}: auto {auto[^1].StepMs:F1} ms/step, roofline {auto[^1].RooflineGflops:F1} GFLOP/s; off {off[^1].StepMs:F1} ms/step, roofline {off[^1].RooflineGflops:F1} GFLOP/s; step x{auto[^1].StepMs / off[^1].StepMs:F3}"));
        }

        Console.WriteLine($"auto: {auto[0].Kernels}");
        Console.WriteLine($"off:  {off[0].Kernels}");
        Console.WriteLine(FormattableString.Invariant(
            $"{settings.Only} dense step: auto {Median(auto.Select(s => s.StepMs)):F1} ms, off {Median(off.Select(s => s.StepMs)):F1} ms, auto/off {PairedRatios.Describe(auto.Select(s => s.StepMs), off.Select(s => s.StepMs))}"));
        Console.WriteLine(FormattableString.Invariant(
            $"2048^3 roofline: auto {Median(auto.Select(s => s.RooflineGflops)):F1} GFLOP/s, off {Median(off.Select(s => s.RooflineGflops)):F1} GFLOP/s, auto/off {PairedRatios.Describe(auto.Select(s => s.RooflineGflops), off.Select(s => s.RooflineGflops))}"));
        Console.WriteLine($"load average after: {Machine.LoadAverage()}");
    }

    private static Side Measure(string setting, MklDispatchSettings settings)
    {
        string self = typeof(MklDispatchBenchmark).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", $"{self} engine --only {settings.Only} --steps {settings.Steps}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment[MklDispatch.Variable] = setting;
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return Parse(setting, settings.Only, output)
            ?? throw new InvalidOperationException($"engine with {MklDispatch.Variable}={setting} printed no step time (exit code {process.ExitCode}): {errors.Result}{output}");
    }

    /// <summary>The kernels, the roofline and the workload's ms/step from <c>engine</c>'s output; null when one is missing.</summary>
    public static Side? Parse(string setting, string workload, string output)
    {
        string[] lines = output.Split('\n', StringSplitOptions.TrimEntries);
        string? kernels = lines.FirstOrDefault(l => l.StartsWith(EngineBenchmark.MklLinePrefix, StringComparison.Ordinal))?[EngineBenchmark.MklLinePrefix.Length..];
        string? roofline = lines.FirstOrDefault(l => l.StartsWith("fp32 matmul roofline", StringComparison.Ordinal));
        string[]? row = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(p => p.Length > 3 && p[0] == workload);
        if (kernels is null || roofline is null || row is null)
        {
            return null;
        }

        string gflops = roofline[(roofline.LastIndexOf(':') + 1)..].Trim().Split(' ')[0];
        return new(setting, kernels, double.Parse(gflops, CultureInfo.InvariantCulture), double.Parse(row[3], CultureInfo.InvariantCulture));
    }
}
