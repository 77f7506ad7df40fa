namespace Grid.Abstractions.Contracts;

[GenerateSerializer]
public enum IterationState
{
    /// <summary>This activation has no job (new activation, e.g. after its silo died): call Ensure again.</summary>
    NotStarted = 0,
    Queued = 1,
    Training = 2,
    Finished = 3,
    Failed = 4,
    Cancelled = 5,
}
