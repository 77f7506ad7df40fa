using Grid.Analysis.Observables;
using Grid.Analysis.Pictures;

namespace Grid.Analysis.Runs;

/// <summary>
/// "connectivity": the C^{in,l} histogram of every prunable layer with its Binomial(n_{l-1}, u^l) reference (Fig. 1b),
/// and the C^{out,0} map of the input pixels (Fig. 10).
/// Files: connectivity-layer{l}.png/.json, connectivity-cout0.png/.csv.
/// </summary>
internal sealed class ConnectivityAnalysis : IIterationAnalysis
{
    public string Name => "connectivity";
    public string Description => "C^in histogram of every prunable layer with the binomial reference of random pruning; C^out,0 map";
    public int Version => 1;
    public AnalysisScope Scope => AnalysisScope.Iteration;
    public bool NeedsTrainedNetwork => false;

    public void Write(IterationArtifacts input, AnalysisOutput output, CancellationToken cancellationToken)
    {
        IReadOnlyList<bool> prunable = input.PruneFlags;
        for (int l = 0; l < input.Masks.Count; l++)
        {
            if (l < prunable.Count && !prunable[l])
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var layer = LayerObservables.Compute(input.Masks[l]);
            output.Figure(
                ConnectivityHistogramFigure.Save(output.PathFor($"layer{l + 1}"), layer.Histogram, layer: l + 1),
                $"C in,{l + 1} histogram and binomial reference, layer {l + 1} (u = {AnalysisText.Percent(layer.UnprunedFraction)}), {AnalysisText.Iteration(input)}");
        }
        PixelMap map = Connectivity.InputOutputConnectivityMap(input.Masks[0], input.Geometry);
        output.Figure(PixelMapFigure.Save(output.PathFor("cout0"), map), $"C out,0 per pixel, {AnalysisText.Iteration(input)}");
    }
}
