namespace Grid.Analysis.Observables;

/// <summary>
/// Random pruning reference for C^{in,l}: every one of the n = n_{l-1} inputs of a node is kept independently with
/// probability u, so C^in ~ Binomial(n, u) with mean n*u and variance n*u*(1-u).
/// </summary>
public sealed class BinomialReference
{
    private readonly double[] _pmf;

    public BinomialReference(int trials, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (probability is < 0 or > 1 || double.IsNaN(probability))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Must be in [0, 1].");
        }
        Trials = trials;
        Probability = probability;
        _pmf = ComputePmf(trials, probability);
    }

    /// <summary>n, the number of inputs per node.</summary>
    public int Trials { get; }

    /// <summary>u, the unpruned fraction.</summary>
    public double Probability { get; }

    public double Mean => Trials * Probability;

    public double Variance => Trials * Probability * (1 - Probability);

    /// <summary>P(C = k).</summary>
    public double ProbabilityOf(int k) => k < 0 || k > Trials ? 0 : _pmf[k];

    /// <summary>Expected number of nodes (out of <paramref name="nodeCount"/>) with C^in in [lower, upper).</summary>
    public double ExpectedNodes(int nodeCount, int lower, int upper)
    {
        double sum = 0;
        for (int k = Math.Max(lower, 0); k < Math.Min(upper, Trials + 1); k++)
        {
            sum += _pmf[k];
        }
        return nodeCount * sum;
    }

    private static double[] ComputePmf(int n, double u)
    {
        var pmf = new double[n + 1];
        if (u <= 0)
        {
            pmf[0] = 1;
            return pmf;
        }
        if (u >= 1)
        {
            pmf[n] = 1;
            return pmf;
        }
        double logU = Math.Log(u);
        double logNotU = Math.Log(1 - u);
        double logChoose = 0;
        for (int k = 0; k <= n; k++)
        {
            if (k > 0)
            {
                logChoose += Math.Log(n - k + 1) - Math.Log(k);
            }
            pmf[k] = Math.Exp(logChoose + k * logU + (n - k) * logNotU);
        }
        return pmf;
    }
}
