using System.Text.Json;
using Grid.Analysis.Locality;

namespace Grid.Analysis.Findings;

/// <summary>
/// Fig. 2: the inputs a node keeps sit close together in the image. Measured: the mean distance |d| of S^sc (pairs of
/// kept inputs of a node in the same channel). Null: the degree-preserving shuffle of the same mask (every C^in and
/// C^{out,0} kept, so locality that merely follows where the images have content does not count); random pruning
/// is quoted beside it.
/// </summary>
public static class LocalityAgainstNull
{
    public const string Key = "locality";
    public const string Name = "local connectivity";
    public const string Figure = "Fig. 2";

    public static Finding Evaluate(int iteration, double u, LocalityReport report) =>
        Evaluate(iteration, u, report.Observed.MeanDistance, report.DegreePreserving.Mean.MeanDistance,
            report.DegreePreserving.StandardDeviation.MeanDistance, report.RandomPruningExpected.MeanDistance);

    /// <summary>From the locality analysis' locality-summary.json.</summary>
    public static Finding FromFile(int iteration, double u, string summaryFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(summaryFile));
        var root = document.RootElement;
        double Read(params string[] path)
        {
            var element = root;
            foreach (string key in path)
            {
                element = element.GetProperty(key);
            }

            return element.ValueKind == JsonValueKind.Number ? element.GetDouble() : double.NaN;
        }

        return Evaluate(iteration, u, Read("observed", "mean_distance"), Read("degree_preserving", "mean", "mean_distance"),
            Read("degree_preserving", "standard_deviation", "mean_distance"), Read("random_pruning_expected", "mean_distance"));
    }

    public static Finding Evaluate(int iteration, double u, double observed, double nullMean, double nullStandardDeviation, double randomPruning)
    {
        if (!double.IsFinite(observed) || !double.IsFinite(nullMean) || nullMean <= 0)
        {
            return Finding.NotMeasured(Key, Name, Figure, iteration, u, "no node keeps two inputs in the same channel");
        }

        double ratio = observed / nullMean;
        double z = nullStandardDeviation > 0 ? (observed - nullMean) / nullStandardDeviation
            : observed < nullMean ? double.NegativeInfinity : observed > nullMean ? double.PositiveInfinity : 0;
        double randomRatio = observed / randomPruning;
        bool beyondNoise = z <= FindingThresholds.LocalityZ;
        return new Finding
        {
            Key = Key,
            Name = Name,
            Figure = Figure,
            Iteration = iteration,
            UnprunedFraction = u,
            Measured = $"mean S^sc distance {Finding.Number(observed)} px, {Finding.Number(ratio, "0.00")}x the degree-preserving null "
                + $"({Finding.Number(nullMean)} ± {Finding.Number(nullStandardDeviation, "G2")} px, z = {Finding.Number(z, "0.0")}); "
                + $"{Finding.Number(randomRatio, "0.00")}x random pruning",
            Verdict = beyondNoise && ratio <= FindingThresholds.LocalitySeenRatio ? Verdict.Seen
                : beyondNoise && ratio < FindingThresholds.LocalityWeakRatio ? Verdict.Weak
                : Verdict.NotSeen,
            Numbers = new Dictionary<string, double>
            {
                ["mean_distance"] = observed,
                ["null_mean_distance"] = nullMean,
                ["null_standard_deviation"] = nullStandardDeviation,
                ["ratio_to_null"] = ratio,
                ["z_vs_null"] = z,
                ["random_pruning_mean_distance"] = randomPruning,
                ["ratio_to_random_pruning"] = randomRatio,
            },
        };
    }
}
