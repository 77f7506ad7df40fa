namespace Grid.Engine.Data;

/// <summary>How many training and validation images a dataset's files hold, as its cheap validation found them.</summary>
public sealed record DatasetCounts(int Train, int Validation);
