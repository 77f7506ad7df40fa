namespace Grid.Analysis.Findings;

/// <summary>
/// Fig. 1a: IMP finds sparse networks that validate better than the dense one. Measured: the run's best validation
/// accuracy against its dense network's (iteration 0). Null: no gain, i.e. a difference within the sampling noise of
/// two accuracies on the same number of validation images (binomial standard error of the difference).
/// </summary>
public static class AccuracyGain
{
    public const string Key = "accuracy-gain";
    public const string Name = "accuracy gain over the dense network";
    public const string Figure = "Fig. 1a";

    /// <param name="iteration">The run's best iteration, at u = <paramref name="u"/>, with accuracy <paramref name="best"/>.</param>
    /// <param name="dense">Best validation accuracy of iteration 0.</param>
    public static Finding Evaluate(int iteration, double u, double best, double dense, int validationImages)
    {
        double standardError = Math.Sqrt((dense * (1 - dense) + best * (1 - best)) / Math.Max(1, validationImages));
        double gain = best - dense;
        double z = standardError > 0 ? gain / standardError : gain > 0 ? double.PositiveInfinity : 0;
        var numbers = new Dictionary<string, double>
        {
            ["best_accuracy"] = best,
            ["dense_accuracy"] = dense,
            ["gain"] = gain,
            ["standard_error"] = standardError,
            ["standard_errors"] = z,
            ["validation_images"] = validationImages,
        };
        if (iteration == 0)
        {
            return new Finding
            {
                Key = Key, Name = Name, Figure = Figure, Iteration = 0, UnprunedFraction = u, Numbers = numbers,
                Measured = $"the dense network (iteration 0, {Finding.Number(100 * dense)} %) is the run's best; no pruned iteration validates better",
                Verdict = Verdict.NotSeen,
            };
        }

        return new Finding
        {
            Key = Key, Name = Name, Figure = Figure, Iteration = iteration, UnprunedFraction = u, Numbers = numbers,
            Measured = $"best validation accuracy {Finding.Number(100 * best)} % against {Finding.Number(100 * dense)} % dense: "
                + $"{Finding.Number(100 * gain, "+0.##;-0.##")} points, {Finding.Number(z, "0.0")} standard errors of the difference ({validationImages:N0} validation images)",
            Verdict = z >= FindingThresholds.GainSeenStandardErrors ? Verdict.Seen
                : z >= FindingThresholds.GainWeakStandardErrors ? Verdict.Weak
                : Verdict.NotSeen,
        };
    }
}
