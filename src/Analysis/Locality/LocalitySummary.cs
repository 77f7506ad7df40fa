using Grid.Analysis.Observables;

namespace Grid.Analysis.Locality;

/// <summary>
/// A locality figure comparable across runs, from S^sc (d = 0 excluded):
/// the mean Euclidean |d| over connected same-channel pairs, and the share of those pairs with |d| &lt;= r for r = 1, 2, 3.
/// Smaller mean distance and larger shares mean more local masks.
/// </summary>
public sealed record LocalitySummary(double MeanDistance, double ShareWithinRadius1, double ShareWithinRadius2, double ShareWithinRadius3)
{
    public static readonly IReadOnlyList<string> MetricNames =
        ["mean_distance", "share_within_r1", "share_within_r2", "share_within_r3"];

    /// <summary>Computed from a map's S^sc; all values are NaN when it holds no pair.</summary>
    public static LocalitySummary Of(DisplacementMap map)
    {
        double total = 0, distanceSum = 0, within1 = 0, within2 = 0, within3 = 0;
        for (int dy = -(map.Height - 1); dy < map.Height; dy++)
        {
            for (int dx = -(map.Width - 1); dx < map.Width; dx++)
            {
                double count = map.SameChannelAt(dx, dy);
                if (count == 0)
                {
                    continue;
                }
                double distance = Math.Sqrt(dx * dx + dy * dy);
                total += count;
                distanceSum += count * distance;
                within1 += distance <= 1 ? count : 0;
                within2 += distance <= 2 ? count : 0;
                within3 += distance <= 3 ? count : 0;
            }
        }
        return total == 0
            ? new LocalitySummary(double.NaN, double.NaN, double.NaN, double.NaN)
            : new LocalitySummary(distanceSum / total, within1 / total, within2 / total, within3 / total);
    }

    public double[] ToArray() => [MeanDistance, ShareWithinRadius1, ShareWithinRadius2, ShareWithinRadius3];

    public static LocalitySummary FromArray(IReadOnlyList<double> values) => new(values[0], values[1], values[2], values[3]);
}
