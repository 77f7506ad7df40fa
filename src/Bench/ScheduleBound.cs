namespace Grid.Bench;

/// <summary>
/// What an IMP schedule's training could cost at best with sparse products, from measured parts: each step costs the
/// dense step (<c>Dense</c>) or, sparse, the costs every step pays whatever its density (<see cref="Fixed"/>: the batch,
/// BatchNorm, the unpruned output layer, the loss, the update) plus the pruned layers' products, which take
/// <see cref="PrunedProducts"/> ms in the dense step and u · <see cref="PrunedProducts"/> / r sparse, r being the sparse
/// kernels' rate per unpruned weight as a fraction of dense BLAS's. A step trains the cheaper way, as the cost model does.
/// r = 1 is a sparse kernel as fast per weight as register-blocked dense BLAS, which unstructured sparse products do not
/// reach (each multiply-add loads its own operand): if even that misses a goal, no sparse kernel meets it on this host.
/// </summary>
/// <param name="Schedule">The schedule's densities u with their measured dense step (ms).</param>
/// <param name="PrunedProducts">ms of the pruned layers' products (forward and backward) in the dense step.</param>
/// <param name="Fixed">ms of a sparse step's other costs.</param>
public sealed record ScheduleBound(IReadOnlyList<(double U, double Dense)> Schedule, double PrunedProducts, double Fixed)
{
    /// <summary>The fixed costs from the sparsest measured step, <paramref name="sparsestStep"/> ms at density
    /// <paramref name="u"/>, whose products are taken at dense rate (an upper bound on the fixed costs' share).</summary>
    public static double FixedFrom(double sparsestStep, double u, double prunedProducts) => Math.Max(0, sparsestStep - u * prunedProducts);

    /// <summary>The schedule's cost (ms) with sparse products at <paramref name="rate"/> of dense BLAS's rate per weight.</summary>
    public double Cost(double rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        return Schedule.Sum(point => Math.Min(point.Dense, Fixed + point.U * PrunedProducts / rate));
    }

    public double AllDense => Schedule.Sum(point => point.Dense);

    /// <summary>The schedule's cost against all-dense with sparse products at <paramref name="rate"/>.</summary>
    public double Ratio(double rate) => Cost(rate) / AllDense;

    /// <summary>The lowest rate (fraction of dense BLAS's) at which the schedule costs at most <paramref name="goal"/> of
    /// all-dense, or null when not even rate 1 does. The ratio falls as the rate grows, so a bisection finds it.</summary>
    public double? RateNeeded(double goal)
    {
        if (Ratio(1) > goal)
        {
            return null;
        }

        double low = 1e-4, high = 1;
        if (Ratio(low) <= goal)
        {
            return low;
        }

        for (int i = 0; i < 60; i++)
        {
            double middle = (low + high) / 2;
            if (Ratio(middle) <= goal)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    /// <summary>The rate (fraction of dense BLAS's per weight) that a sparse step of <paramref name="step"/> ms at density
    /// <paramref name="u"/> implies: its products' time is what it spends beyond the fixed costs; null when it spends
    /// nothing beyond them (timing noise on a tiny network).</summary>
    public double? RateAt(double u, double step) => step <= Fixed ? null : u * PrunedProducts / (step - Fixed);
}
