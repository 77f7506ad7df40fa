using System.Diagnostics;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>This machine's dense fp32 matmul throughput, the compute bound of FCN training.</summary>
public static class MatmulRoofline
{
    public static double MeasureGflops(Device device, int size = 2048, int repetitions = 10)
    {
        using var a = randn([size, size], device: device);
        using var b = randn([size, size], device: device);
        for (int i = 0; i < 2; i++)
        {
            using var warm = a.matmul(b);
        }

        var times = new List<double>();
        for (int i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.matmul(b);
            _ = c[0, 0].item<float>(); // synchronise on accelerators
            times.Add(clock.Elapsed.TotalSeconds);
        }

        return 2.0 * size * size * size / Median(times) / 1e9;
    }

    public static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
