namespace Grid.Grains;

/// <summary>
/// How a grain handles a one-way report ([OneWay] methods: a run's or an iteration's or an analysis's state). Such a
/// report has no caller to hand an exception to, so Orleans logs one as an error with its stack trace, which
/// `grid run` prints on stderr. A grain call cancelled under the handler means the silo is stopping (Orleans cancels the
/// calls in flight), and the report's work is repeated by the grains' timers anyway; so a cancellation is logged at
/// Information and not thrown. Every other exception still reaches Orleans.
/// </summary>
public static class OneWayReports
{
    public static async Task HandleAsync(Func<Task> handler, ILogger logger, string report)
    {
        try
        {
            await handler();
        }
        catch (OperationCanceledException error)
        {
            logger.LogInformation("{Report} was not handled to the end: {Reason} (the silo is stopping)", report, error.Message);
        }
    }
}
