using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Pruning;

/// <summary>One 0/1 float32 mask per linear layer, shaped like its weight [n_out, n_in], kept on the CPU.</summary>
public sealed class MaskSet : IDisposable
{
    public MaskSet(IReadOnlyList<Tensor> masks) =>
        Masks = [.. masks.Select(m => m.to(CPU).to_type(float32).DetachFromDisposeScope())];

    public IReadOnlyList<Tensor> Masks { get; }

    public int LayerCount => Masks.Count;

    public static MaskSet Dense(IReadOnlyList<int> layerWidths) =>
        new([.. Enumerable.Range(0, layerWidths.Count - 1).Select(l => ones(layerWidths[l + 1], layerWidths[l]))]);

    /// <summary>Fraction of unpruned weights in each layer.</summary>
    public IReadOnlyList<double> LayerDensities() =>
        [.. Masks.Select(m => m.sum().item<float>() / (double)m.numel())];

    /// <summary>Fraction of unpruned weights over the prunable layers together.</summary>
    public double PrunableDensity(IReadOnlyList<bool> prunable)
    {
        double kept = 0, total = 0;
        for (int l = 0; l < LayerCount; l++)
        {
            if (prunable[l])
            {
                kept += Masks[l].sum().item<float>();
                total += Masks[l].numel();
            }
        }

        return total == 0 ? 1 : kept / total;
    }

    /// <summary>Per layer, the fraction of nodes (rows) that keep at least one incoming weight.</summary>
    public IReadOnlyList<double> ConnectedNodeFractions() =>
        [.. Masks.Select(m => m.sum(1).gt(TorchScalars.Zero).sum().item<long>() / (double)m.shape[0])];

    public void Dispose()
    {
        foreach (var mask in Masks)
        {
            mask.Dispose();
        }
    }
}
