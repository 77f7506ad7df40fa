namespace Grid.Grains.Persistence;

/// <summary>
/// Durable grain state and reminders of the grid. The results store stays the source of truth for everything a
/// sweep produces; Orleans storage only keeps what a coordinator needs to carry on by itself after its silo died.
/// </summary>
public static class GridStorage
{
    /// <summary>Named grain storage the host registers: Redis in cluster mode, memory on a single machine.</summary>
    public const string Name = "grid";

    /// <summary>Grain state of a sweep coordinator (<see cref="SweepDriverRecord"/>).</summary>
    public const string SweepDriverState = "sweep-driver";

    /// <summary>Reminder a sweep coordinator holds while its sweep is unfinished.</summary>
    public const string SweepReminder = "grid-sweep";

    /// <summary>Period of <see cref="SweepReminder"/> (Grid:ReminderSeconds, 1 s .. 1 day).</summary>
    public static TimeSpan ReminderPeriod(Hosting.GridOptions options) =>
        TimeSpan.FromSeconds(Math.Clamp(options.ReminderSeconds, 1, 86_400));
}
