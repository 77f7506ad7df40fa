namespace Grid.Abstractions.Contracts;

/// <summary>Grain keys: sweep = sweep hash; run = "sweep/run"; iteration and analysis = "sweep/run/iteration".
/// Runs are keyed within their sweep because each sweep keeps its own run directories.</summary>
public static class GrainKeys
{
    public const long Singleton = 0;

    public static string Run(string sweepHash, string runHash) => $"{sweepHash}/{runHash}";

    public static string Iteration(string sweepHash, string runHash, int iteration) => $"{sweepHash}/{runHash}/{iteration}";
}
