using Grid.Analysis.Observables;

namespace Grid.Analysis.Findings;

/// <summary>
/// Fig. 1b: after IMP, C^{in,1} has a long tail of highly connected nodes far beyond what random pruning gives.
/// Measured: the share of layer-1 nodes above the 99.9 % quantile of Binomial(n0, u), the C^in of random pruning at the
/// same u. Null: that binomial, which puts at most 0.1 % of the nodes there; the count's probability under it is
/// the binomial tail of Binomial(nodes, that mass).
/// </summary>
public static class ConnectivityTail
{
    public const string Key = "cin-tail";
    public const string Name = "C^in tail";
    public const string Figure = "Fig. 1b";

    /// <param name="inputConnectivity">C^{in,1} of every layer-1 node.</param>
    /// <param name="inputs">n0, the inputs of a node.</param>
    /// <param name="u">Layer 1's unpruned fraction.</param>
    public static Finding Evaluate(int iteration, double u, IReadOnlyList<int> inputConnectivity, int inputs)
    {
        if (u is <= 0 or >= 1 || inputConnectivity.Count == 0)
        {
            return Finding.NotMeasured(Key, Name, Figure, iteration, u, "layer 1 is not pruned at this iteration");
        }

        var binomial = new BinomialReference(inputs, u);
        int quantile = Quantile(binomial, FindingThresholds.TailQuantile);
        double nullMass = 0;
        for (int k = inputs; k > quantile; k--)
        {
            nullMass += binomial.ProbabilityOf(k);
        }

        int nodes = inputConnectivity.Count;
        int above = inputConnectivity.Count(c => c > quantile);
        double share = (double)above / nodes;
        double probability = UpperTail(nodes, nullMass, above);
        double mean = inputConnectivity.Average();
        double variance = inputConnectivity.Sum(c => (c - mean) * (c - mean)) / nodes;
        double varianceRatio = binomial.Variance > 0 ? variance / binomial.Variance : double.NaN;
        return new Finding
        {
            Key = Key,
            Name = Name,
            Figure = Figure,
            Iteration = iteration,
            UnprunedFraction = u,
            Measured = $"{Finding.Number(100 * share)} % of layer-1 nodes ({above} of {nodes}) above the binomial 99.9 % quantile "
                + $"(C^in > {quantile}; random pruning puts {Finding.Number(100 * nullMass, "0.###")} % there, P = {Finding.Probability(probability)}); "
                + $"variance {Finding.Number(varianceRatio, "0.0")}x the binomial's",
            Verdict = probability < FindingThresholds.TailSeenProbability && share >= FindingThresholds.TailSeenShare ? Verdict.Seen
                : probability < FindingThresholds.TailWeakProbability ? Verdict.Weak
                : Verdict.NotSeen,
            Numbers = new Dictionary<string, double>
            {
                ["share_above_quantile"] = share,
                ["nodes_above_quantile"] = above,
                ["nodes"] = nodes,
                ["quantile"] = quantile,
                ["null_share_above_quantile"] = nullMass,
                ["probability_under_null"] = probability,
                ["variance_ratio"] = varianceRatio,
            },
        };
    }

    /// <summary>The smallest k with P(C &lt;= k) &gt;= <paramref name="level"/>.</summary>
    internal static int Quantile(BinomialReference binomial, double level)
    {
        double cumulative = 0;
        for (int k = 0; k <= binomial.Trials; k++)
        {
            cumulative += binomial.ProbabilityOf(k);
            if (cumulative >= level)
            {
                return k;
            }
        }

        return binomial.Trials;
    }

    /// <summary>P(X &gt;= count) for X ~ Binomial(trials, probability).</summary>
    private static double UpperTail(int trials, double probability, int count)
    {
        if (count <= 0)
        {
            return 1;
        }

        var distribution = new BinomialReference(trials, Math.Clamp(probability, 0, 1));
        double tail = 0;
        for (int k = trials; k >= count; k--)
        {
            tail += distribution.ProbabilityOf(k);
        }

        return Math.Min(1, tail);
    }
}
