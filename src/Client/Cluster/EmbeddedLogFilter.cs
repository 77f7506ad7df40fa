using Microsoft.Extensions.Logging;

namespace Grid.Client.Cluster;

/// <summary>
/// What the embedded silo writes to stderr: the logs at or above its level ($GRID_LOG_LEVEL: Trace, Debug, Information,
/// Warning, Error, Critical, None; default Error, so that the progress display stays readable). Once the silo is
/// stopping, and unless $GRID_LOG_LEVEL was set, Orleans' own errors are left out: they are about work the stop cancels
/// (a call still being addressed fails with an OperationCanceledException, logged with its stack trace by the
/// messaging layer as SelectTargetFailed), after the command's last line.
/// </summary>
public sealed class EmbeddedLogFilter(LogLevel level, bool levelChosen)
{
    private volatile bool _stopping;

    public LogLevel Level => level;

    public static EmbeddedLogFilter FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable("GRID_LOG_LEVEL");
        if (string.IsNullOrWhiteSpace(text))
        {
            return new EmbeddedLogFilter(LogLevel.Error, levelChosen: false);
        }

        return Enum.TryParse<LogLevel>(text, ignoreCase: true, out var chosen) && Enum.IsDefined(chosen)
            ? new EmbeddedLogFilter(chosen, levelChosen: true)
            : throw new ArgumentException($"GRID_LOG_LEVEL: unknown log level '{text}', expected one of: {string.Join(", ", Enum.GetNames<LogLevel>())}");
    }

    /// <summary>Called when the embedded silo begins to stop.</summary>
    public void OnStopping() => _stopping = true;

    public bool Allows(string? category, LogLevel logLevel) =>
        logLevel >= level
        && !(_stopping && !levelChosen && logLevel < LogLevel.Critical && category?.StartsWith("Orleans", StringComparison.Ordinal) == true);
}
