using Grid.Analysis.Masks;
using Grid.Analysis.Observables;

namespace Grid.Analysis.Locality;

/// <summary>How many null samples to draw, and from which seed.</summary>
public sealed record LocalityComparisonOptions
{
    public int Samples { get; init; } = 8;
    public int Seed { get; init; } = 20240601;
    public int ShuffleTradesPerNode { get; init; } = 20;
}

/// <summary>Observed locality of a first-layer mask against two null models.</summary>
public sealed record LocalityReport
{
    public required LocalitySummary Observed { get; init; }

    /// <summary>Null (a), exact: the expected S^sc of random pruning to the same number of weights.</summary>
    public required LocalitySummary RandomPruningExpected { get; init; }

    /// <summary>Null (a), sampled: random pruning to the same number of weights.</summary>
    public required NullDistribution RandomPruning { get; init; }

    /// <summary>Null (b): degree-preserving shuffles keeping every C^in and every C^{out,0}.</summary>
    public required NullDistribution DegreePreserving { get; init; }

    public LocalitySummary ZScoresVsRandomPruning => RandomPruning.ZScores(Observed);
    public LocalitySummary ZScoresVsDegreePreserving => DegreePreserving.ZScores(Observed);
    public LocalitySummary RatiosVsRandomPruning => RandomPruning.Ratios(Observed);
    public LocalitySummary RatiosVsDegreePreserving => DegreePreserving.Ratios(Observed);
}

/// <summary>Compares a mask's locality with random pruning and with a degree-preserving shuffle.</summary>
public static class LocalityComparison
{
    public static LocalityReport Compare(LayerMask mask, InputGeometry geometry, LocalityComparisonOptions? options = null)
    {
        options ??= new LocalityComparisonOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Samples, 1);
        long kept = mask.CountConnections();
        var random = new Random(options.Seed);

        var randomSamples = new List<LocalitySummary>();
        var shuffledSamples = new List<LocalitySummary>();
        for (int s = 0; s < options.Samples; s++)
        {
            LayerMask randomMask = RandomMasks.FixedCount(mask.Nodes, mask.Inputs, kept, random);
            randomSamples.Add(LocalitySummary.Of(DisplacementHistogram.Compute(randomMask, geometry)));
            LayerMask shuffled = DegreePreservingShuffle.Shuffle(mask, random, options.ShuffleTradesPerNode);
            shuffledSamples.Add(LocalitySummary.Of(DisplacementHistogram.Compute(shuffled, geometry)));
        }
        return new LocalityReport
        {
            Observed = LocalitySummary.Of(DisplacementHistogram.Compute(mask, geometry)),
            RandomPruningExpected = LocalitySummary.Of(RandomPruningReference.ExpectedFixedCount(geometry, mask.Nodes, kept)),
            RandomPruning = NullDistribution.FromSamples("random pruning, same number of weights", randomSamples),
            DegreePreserving = NullDistribution.FromSamples("degree-preserving shuffle (curveball)", shuffledSamples),
        };
    }
}
