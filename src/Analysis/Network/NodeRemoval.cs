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
    /// <summary>
    /// The curves for k in <paramref name="counts"/>. A removed node's pre-activation is its bias alone (every input
    /// weight is zero), so layer 1's pre-activations are computed once per validation batch and each removal set only
    /// replaces columns before the rest of the network runs: the same numbers as removing the nodes and evaluating, at a
    /// fraction of the cost (layer 1 holds most of the network's weights).
    /// </summary>
    public static IReadOnlyList<NodeRemovalCurve> Curves(MaskedMlp model, IBatchSource data, IReadOnlyList<int> counts, int batchSize = 1000)
    {
        var mask = model.Mask(0).to(CPU);
        var connectivity = mask.sum(1).data<float>().ToArray();
        var nodes = Enumerable.Range(0, connectivity.Length).ToArray();
        var highestFirst = nodes.OrderByDescending(j => connectivity[j]).ThenBy(j => j).ToArray();
        var lowestFirst = nodes.OrderBy(j => connectivity[j]).ThenBy(j => j).ToArray();
        model.eval();
        using var _ = no_grad();
        var batches = FirstLayerPreActivations(model, data, batchSize);
        try
        {
            double baseline = Accuracy(model, batches, []);
            return
            [
                Curve("highest C_in first", highestFirst, model, batches, counts, baseline),
                Curve("lowest C_in first", lowestFirst, model, batches, counts, baseline),
            ];
        }
        finally
        {
            foreach (var (preActivation, labels) in batches)
            {
                preActivation.Dispose();
                labels.Dispose();
            }

            model.train();
        }
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

    private static NodeRemovalCurve Curve(string name, int[] order, MaskedMlp model, List<(Tensor PreActivation, Tensor Labels)> batches, IReadOnlyList<int> counts, double baseline) =>
        new(name, counts, [.. counts.Select(k => Accuracy(model, batches, order.Take(k).ToArray()) / Math.Max(baseline, 1e-12))]);

    private static List<(Tensor PreActivation, Tensor Labels)> FirstLayerPreActivations(MaskedMlp model, IBatchSource data, int batchSize)
    {
        var batches = new List<(Tensor, Tensor)>();
        var first = model.Linear(0);
        foreach (var (images, labels) in data.ValidationBatches(batchSize))
        {
            batches.Add((first.forward(images), labels.clone()));
            images.Dispose();
            labels.Dispose();
        }

        return batches;
    }

    /// <summary>Top-1 accuracy with layer 1's <paramref name="removed"/> nodes reduced to their biases.</summary>
    private static double Accuracy(MaskedMlp model, List<(Tensor PreActivation, Tensor Labels)> batches, int[] removed)
    {
        using var scope = NewDisposeScope();
        using var index = tensor(removed.Select(n => (long)n).ToArray(), device: model.Device);
        var bias = model.Linear(0).bias!.index_select(0, index);
        long correct = 0, count = 0;
        foreach (var (preActivation, labels) in batches)
        {
            var changed = removed.Length == 0 ? preActivation : preActivation.index_copy(1, index, bias.unsqueeze(0).expand(preActivation.shape[0], removed.Length));
            correct += model.ForwardFrom(0, changed).argmax(1).eq(labels).sum().item<long>();
            count += labels.shape[0];
        }

        return (double)correct / Math.Max(1, count);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
