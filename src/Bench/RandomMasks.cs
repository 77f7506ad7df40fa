using Grid.Engine.Model;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>Masks that keep each prunable weight with probability u (layers not pruned keep every weight): what the
/// benchmarks train at a density instead of masks from a pruning run.</summary>
public static class RandomMasks
{
    public static List<Tensor> At(MaskedMlp model, double u, Generator generator) =>
        [.. Enumerable.Range(0, model.LayerCount).Select(l =>
        {
            var shape = model.Mask(l).shape;
            return model.PruneFlags[l] ? rand(shape, generator: generator).lt(u).to_type(float32) : ones(shape);
        })];
}
