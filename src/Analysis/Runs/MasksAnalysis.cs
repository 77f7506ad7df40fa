using Grid.Analysis.Masks;
using Grid.Analysis.Pictures;

namespace Grid.Analysis.Runs;

/// <summary>
/// "masks": the masks and the masked weights w*m of the most connected first-layer nodes (Fig. 3a/b), and the
/// effective masks mu^l of the most connected nodes of every deeper hidden layer (Fig. 12, 15).
/// Files: masks-layer1, masks-weights-layer1, masks-effective-layer{l} (.png/.json).
/// </summary>
internal sealed class MasksAnalysis : IIterationAnalysis
{
    /// <summary>Nodes per grid, as in the paper's figures.</summary>
    public const int Count = 30;

    public string Name => "masks";
    public string Description => "the 30 most connected first-layer masks, their masked weights, effective masks of layers 2 and deeper";
    public int Version => 1;
    public AnalysisScope Scope => AnalysisScope.Iteration;
    public bool NeedsTrainedNetwork => false;

    public void Write(IterationArtifacts input, AnalysisOutput output, CancellationToken cancellationToken)
    {
        LayerMask first = input.Masks[0];
        InputGeometry geometry = input.Geometry;
        string at = AnalysisText.Iteration(input);
        output.Figure(MaskGridFigure.SaveMostConnectedMasks(output.PathFor("layer1"), first, geometry, Count),
            $"Masks of the {Math.Min(Count, first.Nodes)} most connected layer-1 nodes, {at}");
        output.Figure(MaskGridFigure.SaveMostConnectedMaskedWeights(output.PathFor("weights-layer1"), first, input.Weights(0), geometry, Count),
            $"Masked weights w*m of the same nodes (min..max per node), {at}");

        int hidden = Math.Min(input.HiddenLayers, input.Masks.Count);
        if (hidden < 2)
        {
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<LayerMask> effective = EffectiveMasks.Chain([.. input.Masks.Take(hidden)]);
        for (int l = 2; l <= hidden; l++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.Figure(MaskGridFigure.SaveMostConnectedEffectiveMasks(output.PathFor($"effective-layer{l}"), effective[l - 1], geometry, l, Count),
                $"Effective masks of layer {l}: the {Math.Min(Count, effective[l - 1].Nodes)} nodes reaching the most inputs, {at}");
        }
    }
}
