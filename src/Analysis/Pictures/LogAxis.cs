using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Grid.Analysis.Pictures;

/// <summary>
/// ScottPlot 5 draws log axes by plotting log10 of the data on a linear axis with decade ticks and log-spaced
/// minor ticks; labels show the original value.
/// </summary>
internal static class LogAxis
{
    public static double ToAxis(double value) => Math.Log10(value);

    /// <summary>Decade ticks labelled as percentages (data are log10 of u in percent).</summary>
    public static void UsePercentDecades(IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = FormatPercent,
        };
    }

    private static string FormatPercent(double log10Percent)
    {
        double percent = Math.Pow(10, log10Percent);
        return percent.ToString(percent >= 1 ? "0" : "0.###", CultureInfo.InvariantCulture) + "%";
    }
}
