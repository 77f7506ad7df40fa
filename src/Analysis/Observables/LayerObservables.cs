using Grid.Analysis.Masks;

namespace Grid.Analysis.Observables;

/// <summary>The connectivity observables of any layer l (docs/science.md §6): u^l, C^{in,l}, and its histogram.</summary>
public sealed record LayerObservables
{
    public required double UnprunedFraction { get; init; }

    /// <summary>C^{in,l}_j per node j of this layer.</summary>
    public required IReadOnlyList<int> InputConnectivity { get; init; }

    /// <summary>C^{out,l-1}_i per node i of the previous layer (per input pixel for layer 1).</summary>
    public required IReadOnlyList<int> PreviousLayerOutputConnectivity { get; init; }

    public required ConnectivityHistogram Histogram { get; init; }

    public static LayerObservables Compute(LayerMask mask, int histogramBinWidth = 0)
    {
        double u = Connectivity.UnprunedFraction(mask);
        int[] inputConnectivity = Connectivity.InputConnectivity(mask);
        return new LayerObservables
        {
            UnprunedFraction = u,
            InputConnectivity = inputConnectivity,
            PreviousLayerOutputConnectivity = Connectivity.OutputConnectivityOfInputs(mask),
            Histogram = ConnectivityHistogram.Build(inputConnectivity, mask.Inputs, u, histogramBinWidth),
        };
    }
}
