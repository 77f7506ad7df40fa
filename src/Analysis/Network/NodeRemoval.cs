using Grid.Engine.Model;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Analysis.Network;

/// <summary>One node-removal curve: accuracy relative to the intact network after removing the first k nodes of an order.</summary>
public sealed record NodeRemovalCurve(string Order, IReadOnlyList<int> Removed, IReadOnlyList<double> RelativeAccuracy);

/// <summary>
/// docs/science.md §6 node removal: first-layer nodes are removed (their whole input mask zeroed, no retraining) in decreasing
/// and in increasing order of C^{in,1}; validation accuracy relative to the unremoved network, as a curve over k.
/// </summary>
public static class NodeRemoval
{
    public static IReadOnlyList<NodeRemovalCurve> Curves(MaskedMlp model, IBatchSource data, IReadOnlyList<int> counts, int batchSize = 1000)
    {
        var mask = model.Mask(0).to(CPU);
        var connectivity = mask.sum(1).data<float>().ToArray();
        var nodes = Enumerable.Range(0, connectivity.Length).ToArray();
        var highestFirst = nodes.OrderByDescending(j => connectivity[j]).ThenBy(j => j).ToArray();
        var lowestFirst = nodes.OrderBy(j => connectivity[j]).ThenBy(j => j).ToArray();
        double baseline = Evaluation.Evaluate(model, data, batchSize).Top1;
        return
        [
            Curve("highest C_in first", highestFirst, model, data, counts, baseline, batchSize),
            Curve("lowest C_in first", lowestFirst, model, data, counts, baseline, batchSize),
        ];
    }

    /// <summary>Zeroes the input masks (and weights) of <paramref name="nodes"/> in layer 1; returns what to restore.</summary>
    public static IDisposable Remove(MaskedMlp model, IReadOnlyCollection<int> nodes)
    {
        var weight = model.Linear(0).weight!;
        var savedWeight = weight.detach().clone();
        var savedMask = model.Mask(0).clone();
        using (no_grad())
        {
            using var index = tensor(nodes.Select(n => (long)n).ToArray(), device: model.Device);
            model.Mask(0).index_fill_(0, index, 0);
            model.ApplyMasksToWeights();
        }

        return new Restore(() =>
        {
            using var _ = no_grad();
            weight.copy_(savedWeight);
            model.Mask(0).copy_(savedMask);
            savedWeight.Dispose();
            savedMask.Dispose();
        });
    }

    private static NodeRemovalCurve Curve(string name, int[] order, MaskedMlp model, IBatchSource data, IReadOnlyList<int> counts, double baseline, int batchSize)
    {
        var accuracies = new List<double>();
        foreach (int k in counts)
        {
            using var removal = Remove(model, order.Take(k).ToArray());
            accuracies.Add(Evaluation.Evaluate(model, data, batchSize).Top1 / Math.Max(baseline, 1e-12));
        }

        return new NodeRemovalCurve(name, counts, accuracies);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
