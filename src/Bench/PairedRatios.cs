using System.Globalization;
using Grid.Engine.Numerics;

namespace Grid.Bench;

/// <summary>How the benchmarks report one way against another timed in the same rounds: the median of the rounds'
/// ratios and their range, "x0.437 [0.381-0.512]".</summary>
public static class PairedRatios
{
    public static string Describe(IEnumerable<double> engine, IEnumerable<double> other, string format = "F3")
    {
        var ratios = engine.Zip(other, (a, b) => a / b).ToList();
        string F(double value) => value.ToString(format, CultureInfo.InvariantCulture);
        return $"x{F(Statistics.Median(ratios))} [{F(ratios.Min())}-{F(ratios.Max())}]";
    }
}
