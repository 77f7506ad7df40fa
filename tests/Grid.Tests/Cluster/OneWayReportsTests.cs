using Grid.Grains;
using Microsoft.Extensions.Logging;

namespace Grid.Tests.Cluster;

public sealed class OneWayReportsTests
{
    [Fact]
    public async Task A_report_whose_grain_call_was_cancelled_is_logged_as_information_not_thrown()
    {
        var logger = new RecordingLogger();

        await OneWayReports.HandleAsync(() => Task.FromException(new OperationCanceledException("The operation was canceled.")), logger, "Run abc's report");

        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, level);
        Assert.Contains("Run abc's report was not handled to the end", message);
    }

    [Fact]
    public async Task Any_other_failure_of_a_report_still_reaches_orleans()
    {
        var logger = new RecordingLogger();

        await Assert.ThrowsAsync<InvalidOperationException>(() => OneWayReports.HandleAsync(() => Task.FromException(new InvalidOperationException("broken")), logger, "a report"));
        Assert.Empty(logger.Entries);
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
