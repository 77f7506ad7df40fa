namespace Grid.Grains.Failures;

/// <summary>A classified training failure: what kind it is and one line saying why, for logs, status and summary.csv.</summary>
public sealed record TrainingFailure(FailureKind Kind, string Reason);
