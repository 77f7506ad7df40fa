using Grid.Analysis.Locality;
using Grid.Analysis.Observables;
using Grid.Analysis.Pictures;

namespace Grid.Analysis.Runs;

/// <summary>
/// "locality" of the first layer: S^sc (and S^dc for colour inputs; identically 0 for one channel, so left out),
/// S^sc in 5 C^{in,1} bins over the observed range (SM B.3), S^sc of one randomly pruned node with the layer's mean number of connections (SM B.1),
/// and the locality summary against random pruning and a degree-preserving shuffle.
/// Files: locality-ssc, locality-sdc, locality-ssc-by-cin (.png/.csv), locality-ssc-random-node (.png/.csv), locality-summary.json.
/// </summary>
internal sealed class LocalityAnalysis : IIterationAnalysis
{
    /// <summary>Equal-width C^in bins of the S^sc-by-connectivity figure.</summary>
    public const int ConnectivityBins = 5;

    /// <summary>Samples per null model of the locality summary.</summary>
    public const int NullSamples = 8;

    public string Name => "locality";
    public string Description => "S^sc / S^dc maps, S^sc by C^in,1 bins, random-pruning S(d) of one node, locality vs two null models (JSON)";
    public int Version => 1;
    public AnalysisScope Scope => AnalysisScope.Iteration;
    public bool NeedsTrainedNetwork => false;
    public bool EveryIterationByDefault => false;

    public void Write(IterationArtifacts input, AnalysisOutput output, CancellationToken cancellationToken)
    {
        var mask = input.Masks[0];
        var geometry = input.Geometry;
        string at = AnalysisText.Iteration(input);
        var observed = FirstLayerObservables.Compute(mask, geometry);
        output.Figure(DisplacementMapFigure.Save(output.PathFor("ssc"), observed.Displacement, DisplacementKind.SameChannel),
            $"S sc(d), same channel, layer 1, {at}");
        if (geometry.Channels > 1)
        {
            output.Figure(DisplacementMapFigure.Save(output.PathFor("sdc"), observed.Displacement, DisplacementKind.DifferentChannel),
                $"S dc(d), different channels, layer 1, {at}");
        }
        else
        {
            output.Note = "S dc is identically 0 for single-channel inputs and is not drawn.";
        }

        cancellationToken.ThrowIfCancellationRequested();
        int[] binStarts = BinStarts(observed.Layer.InputConnectivity, ConnectivityBins);
        var byBin = DisplacementByConnectivity.Compute(mask, geometry, binStarts);
        output.Figure(DisplacementMapFigure.SaveByConnectivity(output.PathFor("ssc-by-cin"), byBin, columns: ConnectivityBins),
            $"S sc(d) of the nodes in each C in,1 bin, {at}");

        double u = observed.Layer.UnprunedFraction;
        int connections = (int)Math.Round(u * geometry.InputCount);
        int seed = unchecked((int)input.Spec.Seed * 1000 + input.Iteration);
        var reference = RandomPruningReference.SampleSingleNode(geometry, connections, seed);
        output.Figure(
            DisplacementMapFigure.Save(output.PathFor("ssc-random-node"), reference, DisplacementKind.SameChannel,
                $"S sc(d) of one randomly pruned node, u = {AnalysisText.Percent(u)} ({connections})"),
            $"Random-pruning reference: S sc(d) of one node with {connections} random inputs (u = {AnalysisText.Percent(u)})");

        cancellationToken.ThrowIfCancellationRequested();
        var comparison = LocalityComparison.Compare(mask, geometry, new LocalityComparisonOptions { Samples = NullSamples, Seed = seed });
        output.Data(LocalityReportFile.Save(output.PathFor("summary") + ".json", comparison));
    }

    /// <summary>
    /// Equal-width bins covering the observed range of C^in over connected nodes (as in SM B.3, "to cover the range of
    /// connectivity"); the last bin is open. Nodes without connections add nothing to S and are left out.
    /// </summary>
    internal static int[] BinStarts(IReadOnlyList<int> inputConnectivity, int bins)
    {
        int[] connected = [.. inputConnectivity.Where(c => c > 0)];
        if (connected.Length == 0)
        {
            return [1];
        }
        int lowest = connected.Min(), highest = connected.Max();
        int width = Math.Max(1, (int)Math.Ceiling((highest - lowest + 1) / (double)bins));
        return [.. Enumerable.Range(0, bins).Select(k => lowest + k * width).Where(start => start <= highest)];
    }
}
