namespace Grid.Analysis.Curves;

/// <summary>Train and validation error of one training run (one IMP iteration), as in the paper's Fig. 6b/c.</summary>
public sealed record TrainingCurve(
    string Label,
    IReadOnlyList<int> TrainSteps,
    IReadOnlyList<double> TrainError,
    IReadOnlyList<int> ValidationSteps,
    IReadOnlyList<double> ValidationError)
{
    public void Validate()
    {
        if (TrainSteps.Count != TrainError.Count || ValidationSteps.Count != ValidationError.Count)
        {
            throw new ArgumentException($"Training curve '{Label}': steps and errors differ in length.");
        }
    }
}

/// <summary>
/// Accuracy relative to the unremoved network after removing k first-layer nodes, in decreasing and in increasing
/// C^{in,1} order (paper Fig. 1c). Computed elsewhere (it needs the trained network); plotted here.
/// </summary>
public sealed record NodeRemovalCurves(
    IReadOnlyList<int> RemovedNodes,
    IReadOnlyList<double> DecreasingOrderRelativeAccuracy,
    IReadOnlyList<double> IncreasingOrderRelativeAccuracy)
{
    public void Validate()
    {
        if (RemovedNodes.Count != DecreasingOrderRelativeAccuracy.Count || RemovedNodes.Count != IncreasingOrderRelativeAccuracy.Count)
        {
            throw new ArgumentException("Node removal curves: k and both accuracy series must have the same length.");
        }
    }
}
