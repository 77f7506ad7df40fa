namespace Grid.Abstractions.Contracts;

[GenerateSerializer]
public enum SweepState
{
    /// <summary>Known on disk, nothing running in this cluster (submit again to resume).</summary>
    Idle = 0,
    Running = 1,
    Finished = 2,
    Cancelled = 3,

    /// <summary>Stopped because some run failed; the others are kept.</summary>
    Failed = 4,
}
