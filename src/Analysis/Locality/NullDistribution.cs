namespace Grid.Analysis.Locality;

/// <summary>Mean and standard deviation of the locality metrics over samples of a null model.</summary>
public sealed record NullDistribution(string Model, int Samples, LocalitySummary Mean, LocalitySummary StandardDeviation)
{
    /// <summary>(observed - mean) / std per metric; NaN where the null has no spread.</summary>
    public LocalitySummary ZScores(LocalitySummary observed) => Combine(observed,
        (value, mean, std) => std > 0 ? (value - mean) / std : double.NaN);

    /// <summary>observed / mean per metric.</summary>
    public LocalitySummary Ratios(LocalitySummary observed) => Combine(observed,
        (value, mean, _) => mean != 0 ? value / mean : double.NaN);

    public static NullDistribution FromSamples(string model, IReadOnlyList<LocalitySummary> samples)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count);
        int metrics = LocalitySummary.MetricNames.Count;
        var mean = new double[metrics];
        var std = new double[metrics];
        for (int m = 0; m < metrics; m++)
        {
            double[] values = samples.Select(s => s.ToArray()[m]).ToArray();
            mean[m] = values.Average();
            std[m] = values.Length > 1
                ? Math.Sqrt(values.Sum(v => (v - mean[m]) * (v - mean[m])) / (values.Length - 1))
                : 0;
        }
        return new NullDistribution(model, samples.Count, LocalitySummary.FromArray(mean), LocalitySummary.FromArray(std));
    }

    private LocalitySummary Combine(LocalitySummary observed, Func<double, double, double, double> combine)
    {
        double[] o = observed.ToArray(), m = Mean.ToArray(), s = StandardDeviation.ToArray();
        return LocalitySummary.FromArray(o.Select((value, k) => combine(value, m[k], s[k])).ToArray());
    }
}
