using System.Text.Json;
using Grid.Engine.Runtime;
using Grid.Engine.Tests.Runs;
using Grid.Engine.Training.Backprop;

namespace Grid.Engine.Tests;

/// <summary>The kernel cost model's estimate of a sparse step, on a host profile whose measurements the test writes.</summary>
public sealed class KernelCostTests
{
    private const int Inputs = 300, Outputs = 100, Batch = 60;

    /// <summary>Dense 0.22 ms; sparse 0.026 ms at 300 weights (1 %), 0.05 at 3000 (10 %), 0.30 at 15000 (50 %).</summary>
    private static HostProfile Profile()
    {
        string file = Path.Combine(TinyRuns.TemporaryDirectory(), "host-profile.json");
        string key = $"{HostProfile.Cpu}|layer v{KernelPlan.KernelVersion}|{Inputs}x{Outputs}|batch {Batch}|input gradient True|sgd";
        File.WriteAllText(file, JsonSerializer.Serialize(new Dictionary<string, double[]> { [key] = [0.22, 0.026, 300, 0.05, 3000, 0.30, 15000] }));
        return new HostProfile(file);
    }

    [Theory]
    [InlineData(300, 0.026)] // a measured point
    [InlineData(1650, 0.038)] // between 1 % and 10 %: on their line
    [InlineData(9000, 0.175)] // between 10 % and 50 %: on theirs
    [InlineData(19200, 0.3875)] // 64 %, beyond the last point: along the last piece (dearer than dense; the line through 1 % and 10 % said 0.194)
    public void A_sparse_step_is_estimated_piece_by_piece_through_the_measured_densities(long unpruned, double expected)
    {
        var (dense, sparse) = KernelPlan.Estimate(Inputs, Outputs, unpruned, Batch, inputGradient: true, "sgd", Profile());

        Assert.Equal(0.22, dense);
        Assert.Equal(expected, sparse, 6);
    }
}
