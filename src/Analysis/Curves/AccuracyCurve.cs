namespace Grid.Analysis.Curves;

/// <summary>Best validation accuracy of one IMP iteration of one seed.</summary>
public sealed record IterationAccuracy(int Iteration, double UnprunedFraction, double BestAccuracy);

/// <summary>All iterations of one IMP run (one seed).</summary>
public sealed record SeedRun(int Seed, IReadOnlyList<IterationAccuracy> Iterations);

/// <summary>
/// One point of an accuracy-vs-u curve: mean and standard deviation over seeds of the best accuracy and of the gain
/// (best accuracy minus the same seed's iteration 0). Standard deviations are population ones (divide by the number
/// of seeds, numpy's default), 0 for a single seed.
/// </summary>
public sealed record AccuracyCurvePoint(
    int Iteration,
    double UnprunedFraction,
    double AccuracyMean,
    double AccuracyStd,
    double GainMean,
    double GainStd,
    int Seeds);

/// <summary>A labelled accuracy-vs-u series aggregated over seeds (paper Fig. 1a, 5, 17b, 19a).</summary>
public sealed record AccuracyCurve(string Label, IReadOnlyList<AccuracyCurvePoint> Points)
{
    /// <summary>
    /// Aggregates runs by iteration. Runs may stop at different iterations; each point uses the seeds that reached it.
    /// u of a point is the mean over those seeds (identical under layer-wise pruning).
    /// </summary>
    public static AccuracyCurve Aggregate(string label, IReadOnlyList<SeedRun> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        var dense = new Dictionary<int, double>();
        foreach (SeedRun run in runs)
        {
            IterationAccuracy? first = run.Iterations.FirstOrDefault(i => i.Iteration == 0)
                ?? throw new ArgumentException($"Seed {run.Seed} has no iteration 0, so its gain is undefined.", nameof(runs));
            dense[run.Seed] = first.BestAccuracy;
        }
        var points = runs
            .SelectMany(run => run.Iterations.Select(iteration => (run.Seed, iteration)))
            .GroupBy(x => x.iteration.Iteration)
            .OrderBy(group => group.Key)
            .Select(group =>
            {
                double[] accuracy = group.Select(x => x.iteration.BestAccuracy).ToArray();
                double[] gain = group.Select(x => x.iteration.BestAccuracy - dense[x.Seed]).ToArray();
                return new AccuracyCurvePoint(
                    group.Key,
                    group.Average(x => x.iteration.UnprunedFraction),
                    accuracy.Average(),
                    PopulationStd(accuracy),
                    gain.Average(),
                    PopulationStd(gain),
                    accuracy.Length);
            })
            .ToArray();
        return new AccuracyCurve(label, points);
    }

    /// <summary>The point with the highest mean accuracy.</summary>
    public AccuracyCurvePoint Best() => Points.MaxBy(p => p.AccuracyMean)!;

    private static double PopulationStd(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
