using Grid.Engine.Model;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Analysis.Network;

/// <summary>For one node, the validation images (indices into the validation set) that activate it most.</summary>
public sealed record NodeActivations(int Node, IReadOnlyList<int> ImageIndices, IReadOnlyList<double> Activations);

public static class TopActivations
{
    /// <summary>The <paramref name="top"/> validation images with the largest post-ReLU activation of each node of hidden layer <paramref name="layer"/>.</summary>
    public static IReadOnlyList<NodeActivations> Find(MaskedMlp model, IBatchSource data, IReadOnlyList<int> nodes, int layer = 0, int top = 3, int batchSize = 1000)
    {
        model.eval();
        using var _ = no_grad();
        using var nodeIndex = tensor(nodes.Select(n => (long)n).ToArray(), device: model.Device);
        var chunks = new List<Tensor>();
        foreach (var (images, labels) in data.ValidationBatches(batchSize))
        {
            using (images)
            using (labels)
            using (var activation = model.HiddenActivation(images, layer))
            {
                chunks.Add(activation.index_select(1, nodeIndex).to(CPU));
            }
        }

        using var all = cat(chunks, 0); // [N, nodes]
        chunks.ForEach(c => c.Dispose());
        int k = (int)Math.Min(top, all.shape[0]);
        var (values, indices) = all.topk(k, dim: 0);
        using (values)
        using (indices)
        {
            return [.. nodes.Select((node, column) => new NodeActivations(
                node,
                [.. indices[.., column].contiguous().data<long>().Select(i => (int)i)],
                [.. values[.., column].contiguous().data<float>().Select(v => (double)v)]))];
        }
    }
}
