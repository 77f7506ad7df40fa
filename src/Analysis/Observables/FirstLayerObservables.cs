using Grid.Analysis.Locality;
using Grid.Analysis.Masks;

namespace Grid.Analysis.Observables;

/// <summary>
/// Everything the paper measures on one first-layer mask, in one call: the layer's connectivity, the C^{out,0} map,
/// S^sc / S^dc, and the locality summary. (The null-model comparison is separate: it costs one S(d) per sample.)
/// </summary>
public sealed record FirstLayerObservables
{
    public required LayerObservables Layer { get; init; }
    public required PixelMap InputConnectivityMap { get; init; }
    public required DisplacementMap Displacement { get; init; }
    public required LocalitySummary Locality { get; init; }

    public static FirstLayerObservables Compute(LayerMask mask, InputGeometry geometry, int histogramBinWidth = 0)
    {
        geometry.EnsureMatches(mask);
        DisplacementMap displacement = DisplacementHistogram.Compute(mask, geometry);
        return new FirstLayerObservables
        {
            Layer = LayerObservables.Compute(mask, histogramBinWidth),
            InputConnectivityMap = Connectivity.InputOutputConnectivityMap(mask, geometry),
            Displacement = displacement,
            Locality = LocalitySummary.Of(displacement),
        };
    }
}
