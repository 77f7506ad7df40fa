namespace Grid.Grains.Hosting;

/// <summary>
/// Configuration section "Grid" of a silo (appsettings.json, Grid__Key or GRID_KEY environment variables).
/// </summary>
public sealed class GridOptions
{
    public const string Section = "Grid";

    /// <summary>Training device of this silo: cpu, cuda, cuda:N or auto.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Iterations this silo trains at once; 0 = this silo never trains (coordination and analysis only).</summary>
    public int DeviceSlots { get; set; } = 1;

    /// <summary>Results store; must be the same shared directory on every silo of a cluster.</summary>
    public string ResultsRoot { get; set; } = "results";

    /// <summary>How often coordinators and runs poll their children, in milliseconds.</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>libtorch intra-op threads for CPU training; 0 = libtorch's default.</summary>
    public int TorchThreads { get; set; }

    /// <summary>Period of the reminder an unfinished sweep's coordinator holds, in seconds: after its silo died, the
    /// coordinator is reactivated on another silo within this period and resumes its sweep with no client attached.</summary>
    public int ReminderSeconds { get; set; } = 60;

    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(Math.Clamp(PollMilliseconds, 20, 60_000));

    public string ResultsPath => Path.GetFullPath(ResultsRoot);
}
