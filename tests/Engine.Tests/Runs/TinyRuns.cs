using Grid.Engine.Specs;

namespace Grid.Engine.Tests.Runs;

internal static class TinyRuns
{
    /// <summary>A few-second IMP run on the real Fashion-MNIST: 3 iterations of 60 steps.</summary>
    public static ExperimentSpec Spec(long seed = 1) => new()
    {
        Dataset = new DatasetSpec { Fraction = 0.05, ValSize = 500 },
        Network = new NetworkSpec { Hidden = [32, 32, 32] },
        Training = new TrainingSpec { BatchSize = 50, Steps = 60, ValidateEvery = 20 },
        Pruning = new PruningSpec { Rate = 0.5, RewindStep = 10, MaxIterations = 2 },
        Seed = seed,
    };

    public static string TemporaryDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "grid-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
