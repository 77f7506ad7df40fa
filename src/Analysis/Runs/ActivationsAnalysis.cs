using Grid.Analysis.Network;
using Grid.Analysis.Observables;
using Grid.Analysis.Pictures;
using Grid.Engine.Data;
using Grid.Engine.Runs;
using Grid.Engine.Tasks;
using TorchSharp;

namespace Grid.Analysis.Runs;

/// <summary>
/// "activations": for the 8 most connected first-layer nodes, their mask, masked weights and the 3 validation images
/// with the largest activation (Fig. 3b). Needs the trained network and the validation set. Files: activations.png/.json.
/// </summary>
internal sealed class ActivationsAnalysis : IIterationAnalysis
{
    public const int Nodes = 8;
    public const int Images = 3;

    public string Name => "activations";
    public string Description => "top-3 validation images of the 8 most connected first-layer nodes (trained network)";
    public int Version => 1;
    public AnalysisScope Scope => AnalysisScope.Iteration;
    public bool NeedsTrainedNetwork => true;
    public bool EveryIterationByDefault => false;

    public void Write(IterationArtifacts input, AnalysisOutput output, CancellationToken cancellationToken)
    {
        var mask = input.Masks[0];
        int[] nodes = MostConnectedNodes.Top(Connectivity.InputConnectivity(mask), Nodes);
        IReadOnlyList<NodeActivations> found;
        using (var scope = torch.NewDisposeScope())
        using (TrainedNetwork network = NetworkLoader.Load(input))
        {
            found = TopActivations.Find(network.Model, network.Data, nodes, layer: 0, top: Images);
        }
        cancellationToken.ThrowIfCancellationRequested();
        // The same validation images the network saw (task variants such as rotation applied), cached per process.
        ImageDataset validation = TaskVariants.Apply(DatasetCatalog.Load(input.Spec.Dataset), input.Spec.Task, input.Spec.Seed).Validation;
        var strips = found
            .Select(f => new NodeTopImages(f.Node, [.. f.ImageIndices.Select(i => validation.Image(i).ToArray())], f.Activations))
            .ToArray();
        output.Figure(
            ActivationStripFigure.Save(output.PathFor(), input.Geometry, strips, mask, input.Weights(0),
                $"Most connected layer-1 nodes: mask, w*m, top-{Images} validation images ({AnalysisText.Iteration(input)})"),
            $"Mask, masked weights and the {Images} most activating validation images of the {strips.Length} most connected layer-1 nodes, {AnalysisText.Iteration(input)}");
    }
}
