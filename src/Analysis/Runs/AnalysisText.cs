using System.Globalization;

namespace Grid.Analysis.Runs;

/// <summary>Invariant-culture text for captions.</summary>
internal static class AnalysisText
{
    /// <summary>u as a percentage with up to three decimals, e.g. "4.2%".</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    public static string Iteration(IterationArtifacts input) =>
        $"iteration {input.Iteration}, u = {Percent(input.Outcome.UnprunedFraction)}";
}
