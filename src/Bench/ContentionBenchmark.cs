using System.Diagnostics;
using System.Globalization;
using Grid.Bench.Commands;
using static Grid.Engine.Numerics.Statistics;

namespace Grid.Bench;

/// <summary>
/// How much slower a training iteration gets when the machine is shared: a quickstart-size iteration
/// (<see cref="ContentionTrainer"/>, its own process) alone, then while a competitor runs, in interleaved pairs, for the
/// grid's thread policy (short OpenMP spin, adaptive thread budget) and libtorch's default (long spin, one thread per
/// core). Competitors: <c>busy</c> = one busy loop per core (a build, CI), <c>trainer</c> = a second training process
/// with the same policy (a second <c>grid run</c>). Prints every pair, the median slowdown and its range, and the load.
/// <c>--spin N</c> gives the grid policy another OpenMP spin count (GOMP_SPINCOUNT) than Grid's own, to compare.
/// </summary>
public static class ContentionBenchmark
{
    private sealed record Policy(string Name, string Threads, string? SpinCount);

    private static readonly Policy[] Policies =
    [
        new("grid", "adaptive", null),
        new("libtorch", "fixed", "300000"), // libgomp's default spin when OMP_WAIT_POLICY is unset
    ];

    public static void Run(ContentionSettings settings)
    {
        int steps = settings.Steps;
        int pairs = settings.Pairs;
        string[] competitors = settings.CompetitorNames;
        string[] policies = settings.PolicyNames;
        var rows = Policies.Select(p => p.Name == "grid" && settings.SpinCount is { } spin ? p with { SpinCount = spin.ToString(CultureInfo.InvariantCulture) } : p)
            .Select(p => p.Name == "grid" ? p with { Threads = settings.Threads } : p).ToList();
        var grid = rows.Single(p => p.Name == "grid");
        Console.WriteLine($"grid policy: spin {grid.SpinCount ?? "Grid's default"}, {grid.Threads} threads; libtorch policy: spin 300000, {Environment.ProcessorCount} threads");
        Console.WriteLine($"contention: 784-128x3-10 BN, batch 100, {steps} steps per iteration, {Environment.ProcessorCount} cores, {pairs} pairs per row; load average before: {Machine.LoadAverage()}");
        Console.WriteLine($"{"policy",-9} {"competitor",-11} {"alone s (median)",17} {"shared s (median)",18} {"slowdown median",16} {"range",14}");
        foreach (string competitor in competitors)
        {
            foreach (var policy in rows.Where(p => policies.Contains(p.Name)))
            {
                var alone = new List<double>();
                var shared = new List<double>();
                for (int pair = 0; pair < pairs; pair++)
                {
                    alone.Add(TimeOne(policy, steps));
                    using (StartCompetitor(competitor, policy))
                    {
                        shared.Add(TimeOne(policy, steps));
                    }

                    Console.WriteLine(FormattableString.Invariant($"  {policy.Name} vs {competitor}, pair {pair + 1}: alone {alone[^1]:F2} s, shared {shared[^1]:F2} s, x{shared[^1] / alone[^1]:F2}"));
                }

                var ratios = alone.Zip(shared, (a, s) => s / a).Order().ToList();
                Console.WriteLine(FormattableString.Invariant(
                    $"{policy.Name,-9} {competitor,-11} {Median(alone),17:F2} {Median(shared),18:F2} {"x" + Median(ratios).ToString("F2", CultureInfo.InvariantCulture),16} {$"x{ratios[0]:F2}-x{ratios[^1]:F2}",14}"));
            }
        }

        Console.WriteLine($"load average after: {Machine.LoadAverage()}");
    }

    private static double TimeOne(Policy policy, int steps)
    {
        using var process = Start(policy, $"--steps {steps} --threads {policy.Threads}");
        string? line;
        double? seconds = null;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            if (line.StartsWith("trained", StringComparison.Ordinal))
            {
                seconds = double.Parse(line.Split(' ')[4], CultureInfo.InvariantCulture);
            }
        }

        process.WaitForExit();
        return seconds ?? throw new InvalidOperationException($"the timed trainer printed no time (exit code {process.ExitCode}): {process.StandardError.ReadToEnd()}");
    }

    private static IDisposable StartCompetitor(string competitor, Policy policy)
    {
        var processes = new List<Process>();
        if (competitor == "busy")
        {
            for (int i = 0; i < Environment.ProcessorCount; i++)
            {
                processes.Add(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]))!);
            }
        }
        else if (competitor == "trainer")
        {
            var trainer = Start(policy, $"--steps 500 --threads {policy.Threads} --forever");
            processes.Add(trainer);
            if (trainer.StandardOutput.ReadLine() != "ready")
            {
                throw new InvalidOperationException("the competing trainer did not start");
            }

            trainer.StandardOutput.ReadToEndAsync(); // keep draining its output
        }
        else
        {
            throw new ArgumentException($"--competitor: unknown '{competitor}' (busy or trainer)");
        }

        Thread.Sleep(1000); // let the competitor take the cores (and an adaptive budget see it)
        return new Stopper(processes);
    }

    private static Process Start(Policy policy, string arguments)
    {
        string self = typeof(ContentionBenchmark).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", $"{self} contention-train {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment.Remove("OMP_WAIT_POLICY");
        if (policy.SpinCount is { } spin)
        {
            info.Environment["GOMP_SPINCOUNT"] = spin;
        }
        else
        {
            info.Environment.Remove("GOMP_SPINCOUNT");
        }

        return Process.Start(info)!;
    }

    private sealed class Stopper(List<Process> processes) : IDisposable
    {
        public void Dispose()
        {
            foreach (var process in processes)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                process.Dispose();
            }
        }
    }
}
