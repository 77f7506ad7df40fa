namespace Grid.Abstractions.Contracts;

[GenerateSerializer]
public enum RunState
{
    Pending = 0,

    /// <summary>The current iteration waits for a free device slot.</summary>
    Queued = 1,
    Training = 2,
    Finished = 3,
    Failed = 4,
    Cancelled = 5,

    /// <summary>Every iteration trained; the analyses of its iterations are still being computed.</summary>
    Analysing = 6,
}
