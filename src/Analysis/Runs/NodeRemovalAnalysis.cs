using Grid.Analysis.Network;
using Grid.Analysis.Pictures;
using Grid.Engine.Runs;
using TorchSharp;

namespace Grid.Analysis.Runs;

/// <summary>
/// "node-removal": validation accuracy relative to the intact network after removing k first-layer nodes in
/// decreasing and in increasing C^{in,1} order, no retraining (Fig. 1c); k on 17 evenly spaced points from 0 to n1.
/// Needs the trained network and the validation set. Files: node-removal.png/.csv.
/// </summary>
internal sealed class NodeRemovalAnalysis : IIterationAnalysis
{
    /// <summary>Fractions of the first-layer nodes removed: dense where the first removals matter most.</summary>
    public static readonly IReadOnlyList<double> Fractions = [0, 1 / 16.0, 1 / 8.0, 2 / 8.0, 3 / 8.0, 4 / 8.0, 5 / 8.0, 6 / 8.0, 7 / 8.0, 1];

    public string Name => "node-removal";
    public string Description => "accuracy after removing k first-layer nodes by decreasing / increasing C^in,1 (trained network)";
    public int Version => 1;
    public AnalysisScope Scope => AnalysisScope.Iteration;
    public bool NeedsTrainedNetwork => true;
    public bool EveryIterationByDefault => false;

    public void Write(IterationArtifacts input, AnalysisOutput output, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        using TrainedNetwork network = NetworkLoader.Load(input);
        int nodes = network.Model.LayerWidths[1];
        int[] counts = [.. Fractions.Select(f => (int)Math.Round(f * nodes)).Distinct()];
        cancellationToken.ThrowIfCancellationRequested();
        var curves = NodeRemoval.Curves(network.Model, network.Data, counts);
        output.Figure(NodeRemovalFigure.Save(output.PathFor(), curves, $"Removing layer-1 nodes by C in,1, {AnalysisText.Iteration(input)}"),
            $"Accuracy relative to the full network after removing k layer-1 nodes, {AnalysisText.Iteration(input)}");
    }
}
