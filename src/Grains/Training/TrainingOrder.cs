using Grid.Engine.Specs;

namespace Grid.Grains.Training;

/// <summary>One iteration to train: <paramref name="Key"/> names it uniquely on the silo ("sweep/run/iteration").</summary>
public sealed record TrainingOrder(string Key, ExperimentSpec Spec, string RunDirectory, int Iteration);
