using Grid.Bench;
using Grid.Engine.Runtime;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>`mkl-dispatch` as a process: one pair of `engine` processes, one with each setting, each reporting the kernels
/// MKL ran.</summary>
public class MklDispatchBenchmarkTests
{
    [Fact]
    public async Task One_pair_compares_the_settings_and_names_the_kernels_each_ran()
    {
        var outcome = await BenchProcess.RunAsync("mkl-dispatch", "--pairs", "1", "--steps", "1", "--only", "fashion-small");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        string[] lines = outcome.Output.Split('\n');
        string auto = Assert.Single(lines, l => l.StartsWith("auto: ", StringComparison.Ordinal));
        string off = Assert.Single(lines, l => l.StartsWith("off:  ", StringComparison.Ordinal));
        Assert.Contains("GRID_MKL_AVX512=off: MKL's own choice", off);
        Assert.DoesNotContain("AVX-512", off.Split(';')[0]);
        if (MklDispatch.IsAmdWithAvx512())
        {
            Assert.StartsWith("auto: AVX-512", auto);
            Assert.Contains("strict reproducibility", auto);
        }
        else
        {
            Assert.Contains("not an AMD processor with AVX-512", auto);
        }

        Assert.Single(lines, l => l.StartsWith("fashion-small dense step: auto ", StringComparison.Ordinal) && l.Contains("auto/off x"));
        Assert.Single(lines, l => l.StartsWith("  pair 1: auto ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_engines_output_is_read_for_its_kernels_roofline_and_step()
    {
        const string output = """
            device cpu, torch threads 2, 10 timed steps per workload
            MKL kernels: AVX-512 with VNNI, strict reproducibility; AMD processor with AVX-512: Grid's dispatch shim
            fp32 matmul roofline (2048^3, best of 10 warm runs, 2 threads): 231.6 GFLOP/s
            theoretical fp32 peak: 2 cores x 32 fp32 FMA lanes a cycle = 424.6 GFLOP/s
            workload       network                 batch   ms/step  GFLOP/step  GFLOP/s  roofline
            paper          3072-1024x3-1000         1000     115.5       31.31    271.1     117 %
            """;

        var side = MklDispatchBenchmark.Parse("auto", "paper", output);

        Assert.NotNull(side);
        Assert.Equal(("AVX-512 with VNNI, strict reproducibility; AMD processor with AVX-512: Grid's dispatch shim", 231.6, 115.5), (side.Kernels, side.RooflineGflops, side.StepMs));
        Assert.Null(MklDispatchBenchmark.Parse("auto", "fashion", output)); // no row for that workload
    }
}
