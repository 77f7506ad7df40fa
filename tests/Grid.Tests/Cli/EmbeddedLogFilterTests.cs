using Grid.Client.Cluster;
using Microsoft.Extensions.Logging;

namespace Grid.Tests.Cli;

/// <summary>What the embedded silo writes to stderr, before and while it stops.</summary>
public sealed class EmbeddedLogFilterTests
{
    private const string Messaging = "Orleans.Messaging";
    private const string Worker = "Grid.Grains.Training.TrainingWorker";

    [Fact]
    public void Errors_show_while_the_silo_runs_and_orleans_errors_not_once_it_stops()
    {
        var filter = new EmbeddedLogFilter(LogLevel.Error, levelChosen: false);
        Assert.True(filter.Allows(Messaging, LogLevel.Error));
        Assert.False(filter.Allows(Worker, LogLevel.Warning));

        filter.OnStopping();

        Assert.False(filter.Allows(Messaging, LogLevel.Error)); // a call the stop cancelled, with its stack trace
        Assert.True(filter.Allows(Messaging, LogLevel.Critical));
        Assert.True(filter.Allows(Worker, LogLevel.Error)); // Grid's own errors still show
    }

    [Fact]
    public void A_level_the_user_chose_shows_everything_at_it_also_while_stopping()
    {
        var filter = new EmbeddedLogFilter(LogLevel.Information, levelChosen: true);
        filter.OnStopping();

        Assert.True(filter.Allows(Messaging, LogLevel.Error));
        Assert.True(filter.Allows(Messaging, LogLevel.Information));
        Assert.False(filter.Allows(Messaging, LogLevel.Debug));
    }
}
