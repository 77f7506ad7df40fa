namespace Grid.Analysis.Findings;

/// <summary>
/// Where each verdict changes; docs/findings.md explains each one (a test checks that the page quotes these values).
/// </summary>
public static class FindingThresholds
{
    /// <summary>Accuracy gain: seen at this many standard errors of the difference of two validation accuracies
    /// (the best iteration is the best of many, so one or two are expected by chance).</summary>
    public const double GainSeenStandardErrors = 3;

    /// <summary>Accuracy gain: weak from this many standard errors.</summary>
    public const double GainWeakStandardErrors = 2;

    /// <summary>C^in tail: the binomial quantile the tail starts above.</summary>
    public const double TailQuantile = 0.999;

    /// <summary>C^in tail: seen when at least this share of the nodes is above the quantile (ten times the nominal 0.1 %)...</summary>
    public const double TailSeenShare = 0.01;

    /// <summary>...and so many nodes that the binomial gives them less than this probability.</summary>
    public const double TailSeenProbability = 0.001;

    /// <summary>C^in tail: weak when the binomial gives the count less than this probability.</summary>
    public const double TailWeakProbability = 0.01;

    /// <summary>Locality: seen when the mean S^sc distance is at most this multiple of the degree-preserving null's...</summary>
    public const double LocalitySeenRatio = 0.85;

    /// <summary>Locality: weak when it is below this multiple...</summary>
    public const double LocalityWeakRatio = 0.95;

    /// <summary>...and, for both, at least this many of the null's standard deviations below its mean.</summary>
    public const double LocalityZ = -3;

    /// <summary>Node removal: the share of layer-1 nodes removed where the two orders are compared.</summary>
    public const double RemovedShare = 0.25;

    /// <summary>Node removal: seen when removing the most connected nodes leaves this much less relative accuracy than
    /// removing the least connected...</summary>
    public const double RemovalSeenGap = 0.20;

    /// <summary>Node removal: weak from this gap...</summary>
    public const double RemovalWeakGap = 0.05;

    /// <summary>...and, for both, at least this many standard errors of the difference.</summary>
    public const double RemovalStandardErrors = 3;
}
