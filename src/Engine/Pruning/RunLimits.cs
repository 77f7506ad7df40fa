using System.Text.RegularExpressions;
using Grid.Engine.Specs;

namespace Grid.Engine.Pruning;

/// <summary>
/// How far a run goes, applied outside the procedures: after iteration n, <c>max_iterations</c> (for iterative
/// procedures), then <c>stop_ratio</c> on the next mask (for procedures that stop at it), then the procedure's own end.
/// The next mask is computed either way, so stored masks serve every run of the same line whatever its limits.
/// </summary>
public static partial class RunLimits
{
    /// <param name="finishedIteration">The iteration just trained.</param>
    /// <param name="nextConnected">The next mask's fraction of connected nodes per layer; null when the procedure ends.</param>
    /// <param name="procedureStop">Why the procedure itself ends after this iteration, or null.</param>
    /// <returns>Why the run stops after <paramref name="finishedIteration"/>, or null when it goes on.</returns>
    public static string? StopReason(ExperimentSpec spec, int finishedIteration, IReadOnlyList<double>? nextConnected, string? procedureStop)
    {
        var strategy = PruningStrategies.Get(spec.Pruning.Method);
        if (strategy.Iterative && finishedIteration >= spec.Pruning.MaxIterations)
        {
            return $"reached max_iterations ({spec.Pruning.MaxIterations})";
        }

        if (strategy.StopsAtRatio && nextConnected is not null
            && StopCriterion.Check(nextConnected, spec.Network.PruneFlags(), spec.Pruning.StopRatio) is { } ratio)
        {
            return ratio;
        }

        return procedureStop;
    }

    /// <summary>True when a recorded stop reason is one of a run's own limits (max_iterations, stop_ratio, in the words
    /// of <see cref="StopReason"/> and <see cref="StopCriterion"/>, which results written before the run store used
    /// too) rather than the procedure's own end, which holds for every run of the procedure's line.</summary>
    public static bool IsRunLimit(string stopReason) =>
        MaxIterationsReason().IsMatch(stopReason) || StopRatioReason().IsMatch(stopReason);

    [GeneratedRegex(@"^reached max_iterations \(\d+\)$")]
    private static partial Regex MaxIterationsReason();

    [GeneratedRegex(@"\(stop_ratio [^()]*\)$")]
    private static partial Regex StopRatioReason();
}
