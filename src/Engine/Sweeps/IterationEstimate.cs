using Grid.Engine.Specs;

namespace Grid.Engine.Sweeps;

/// <summary>
/// How many iterations a run will probably take, for progress bars and ETAs. Iterations are numbered 0..max_iterations
/// (iteration 0 trains the dense net). For IMP it assumes the mask of each layer behaves like random pruning at
/// u = (1-p)^n and finds the first n at which at most stop_ratio of some layer's nodes would keep an incoming
/// weight: the mask of iteration n stops the run, so iterations 0..n-1 train. The stop criterion decides.
/// </summary>
public static class IterationEstimate
{
    public static int For(ExperimentSpec spec)
    {
        int max = Math.Max(1, spec.Pruning.MaxIterations) + 1;
        if (spec.Pruning.Method is not ("imp" or "imp-global"))
        {
            return Math.Min(2, max);
        }

        double rate = spec.Pruning.Rate;
        double stop = spec.Pruning.StopRatio;
        if (!(rate > 0 && rate < 1) || !(stop >= 0 && stop < 1))
        {
            return max;
        }

        var flags = spec.Network.PruneFlags();
        int best = max;
        int fanIn = InputFeatures(spec.Dataset.Name);
        for (int layer = 0; layer < spec.Network.Hidden.Count; layer++)
        {
            if (layer < flags.Count && flags[layer] && fanIn > 0)
            {
                // fraction of nodes with an incoming weight ~ 1 - (1-u)^fanIn <= stop  <=>  u <= 1 - (1-stop)^(1/fanIn)
                double uMax = 1 - Math.Pow(1 - stop, 1.0 / fanIn);
                int n = uMax <= 0 ? max : (int)Math.Ceiling(Math.Log(uMax) / Math.Log(1 - rate));
                best = Math.Min(best, n);
            }

            fanIn = spec.Network.Hidden[layer];
        }

        return Math.Clamp(best, 1, max);
    }

    private static int InputFeatures(string dataset) => dataset switch
    {
        DatasetNames.FashionMnist or DatasetNames.Mnist => 28 * 28,
        DatasetNames.Cifar10 or DatasetNames.ImageNet32 => 3 * 32 * 32,
        DatasetNames.ImageNet64 => 3 * 64 * 64,
        _ => 1000,
    };
}
