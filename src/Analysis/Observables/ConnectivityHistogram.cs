namespace Grid.Analysis.Observables;

/// <summary>
/// Histogram of C^{in,l} over the nodes of a layer, with the Binomial(n_{l-1}, u) random-pruning reference
/// scaled to the node count (docs/science.md §6, paper Fig. 1b).
/// </summary>
public sealed record ConnectivityHistogram
{
    /// <summary>Bin k covers C^in in [BinStarts[k], BinStarts[k] + BinWidth).</summary>
    public required IReadOnlyList<int> BinStarts { get; init; }
    public required int BinWidth { get; init; }
    public required IReadOnlyList<int> NodeCounts { get; init; }

    /// <summary>Expected node count per bin under random pruning at the same u.</summary>
    public required IReadOnlyList<double> BinomialExpectedCounts { get; init; }

    public required int Nodes { get; init; }
    public required int InputsPerNode { get; init; }
    public required double UnprunedFraction { get; init; }
    public required double ObservedMean { get; init; }
    public required double ObservedVariance { get; init; }
    public required double BinomialMean { get; init; }
    public required double BinomialVariance { get; init; }

    /// <param name="inputConnectivity">C^in per node.</param>
    /// <param name="inputsPerNode">n_{l-1}.</param>
    /// <param name="unprunedFraction">u of the layer.</param>
    /// <param name="binWidth">Integer bin width; 0 picks one giving about 60 bins over the observed and binomial range.</param>
    public static ConnectivityHistogram Build(IReadOnlyList<int> inputConnectivity, int inputsPerNode, double unprunedFraction, int binWidth = 0)
    {
        ArgumentOutOfRangeException.ThrowIfZero(inputConnectivity.Count);
        var binomial = new BinomialReference(inputsPerNode, unprunedFraction);
        int observedMax = inputConnectivity.Max();
        int binomialMax = (int)Math.Ceiling(binomial.Mean + 8 * Math.Sqrt(binomial.Variance) + 2); // covers the reference mass to ~1e-12
        int upper = Math.Min(inputsPerNode, Math.Max(observedMax, binomialMax));
        if (binWidth <= 0)
        {
            binWidth = Math.Max(1, (int)Math.Ceiling((upper + 1) / 60.0));
        }
        int binCount = upper / binWidth + 1;
        var counts = new int[binCount];
        foreach (int c in inputConnectivity)
        {
            counts[c / binWidth]++;
        }
        var starts = new int[binCount];
        var expected = new double[binCount];
        for (int b = 0; b < binCount; b++)
        {
            starts[b] = b * binWidth;
            expected[b] = binomial.ExpectedNodes(inputConnectivity.Count, starts[b], starts[b] + binWidth);
        }
        double mean = inputConnectivity.Average();
        double variance = inputConnectivity.Sum(c => (c - mean) * (c - mean)) / inputConnectivity.Count;
        return new ConnectivityHistogram
        {
            BinStarts = starts,
            BinWidth = binWidth,
            NodeCounts = counts,
            BinomialExpectedCounts = expected,
            Nodes = inputConnectivity.Count,
            InputsPerNode = inputsPerNode,
            UnprunedFraction = unprunedFraction,
            ObservedMean = mean,
            ObservedVariance = variance,
            BinomialMean = binomial.Mean,
            BinomialVariance = binomial.Variance,
        };
    }
}
