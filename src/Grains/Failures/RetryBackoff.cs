using Grid.Grains.Hosting;

namespace Grid.Grains.Failures;

/// <summary>Exponential backoff between tries: Grid:RetryDelayMilliseconds, doubling, at most a minute (or the first
/// delay when that is longer).</summary>
public static class RetryBackoff
{
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(1);

    /// <param name="attempt">1 for the first retry.</param>
    public static TimeSpan Delay(GridOptions options, int attempt)
    {
        var first = TimeSpan.FromMilliseconds(Math.Max(0, options.RetryDelayMilliseconds));
        var longest = first > Longest ? first : Longest;
        double factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return TimeSpan.FromMilliseconds(Math.Min(longest.TotalMilliseconds, first.TotalMilliseconds * factor));
    }
}
