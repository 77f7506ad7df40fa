namespace Grid.Engine.Numerics;

/// <summary>Summary statistics of small samples (timings, ratios).</summary>
public static class Statistics
{
    /// <summary>The median: the middle value, or the mean of the two middle values of an even count.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("the median of no values", nameof(values));
        }

        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
