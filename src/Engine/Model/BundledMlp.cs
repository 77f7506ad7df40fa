using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Model;

/// <summary>
/// K networks of the same layer widths as one batched model (horizontally fused training): linear layer l's weights
/// are one tensor [K, out, in], its biases [K, out] and masks [K, out, in]; hidden layer l's BatchNorm scale, shift and
/// running averages [K, features]. Member k is the <see cref="MaskedMlp"/> it was made from, whose parameters, buffers
/// and masks become views of slice k: loading initial or rewind weights into a member, saving its weights, validating
/// it or pruning it works on the bundle unchanged, before, during and after bundled training. The bundle owns only
/// its stacked tensors; a member stays usable after the bundle is disposed (the views keep the storage alive).
/// </summary>
public sealed class BundledMlp : IDisposable
{
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private readonly Tensor[] _masks;
    private readonly Parameter[] _scales;
    private readonly Parameter[] _shifts;
    private readonly Tensor[] _runningMeans;
    private readonly Tensor[] _runningVariances;

    private BundledMlp(IReadOnlyList<MaskedMlp> members)
    {
        var first = members[0];
        Members = members;
        LayerWidths = first.LayerWidths;
        HasBatchNorm = first.HasBatchNorm;
        BatchNormMomentum = first.BatchNormMomentum;
        Device = first.Device;
        int layers = first.LayerCount, norms = HasBatchNorm ? layers - 1 : 0;
        using var _ = no_grad();
        _weights = [.. Enumerable.Range(0, layers).Select(l => Stack(members, m => m.Linear(l).weight!).AsParameter())];
        _biases = [.. Enumerable.Range(0, layers).Select(l => Stack(members, m => m.Linear(l).bias!).AsParameter())];
        _masks = [.. Enumerable.Range(0, layers).Select(l => Stack(members, m => m.Mask(l)))];
        _scales = [.. Enumerable.Range(0, norms).Select(l => Stack(members, m => m.Norm(l).weight!).AsParameter())];
        _shifts = [.. Enumerable.Range(0, norms).Select(l => Stack(members, m => m.Norm(l).bias!).AsParameter())];
        _runningMeans = [.. Enumerable.Range(0, norms).Select(l => Stack(members, m => m.Norm(l).running_mean!))];
        _runningVariances = [.. Enumerable.Range(0, norms).Select(l => Stack(members, m => m.Norm(l).running_var!))];
        for (int k = 0; k < members.Count; k++)
        {
            for (int l = 0; l < layers; l++)
            {
                members[k].ShareLinear(l, Slice(_weights[l], k), Slice(_biases[l], k), Slice(_masks[l], k));
            }

            for (int l = 0; l < norms; l++)
            {
                members[k].ShareNorm(l, Slice(_scales[l], k), Slice(_shifts[l], k), Slice(_runningMeans[l], k), Slice(_runningVariances[l], k));
            }
        }
    }

    /// <summary>Bundles <paramref name="members"/> (at least one): their current weights, masks and BN state become slices
    /// of the bundle, in order. They must share layer widths, BatchNorm, its decay and the device.</summary>
    public static BundledMlp Bundle(IReadOnlyList<MaskedMlp> members)
    {
        if (members.Count == 0)
        {
            throw new ArgumentException("a bundle needs at least one member", nameof(members));
        }

        var first = members[0];
        for (int k = 1; k < members.Count; k++)
        {
            var member = members[k];
            if (!member.LayerWidths.SequenceEqual(first.LayerWidths))
            {
                throw new ArgumentException($"bundle member {k} has layer widths {string.Join('-', member.LayerWidths)}, member 0 {string.Join('-', first.LayerWidths)}: the members of a bundle must have the same layer widths", nameof(members));
            }

            if (member.HasBatchNorm != first.HasBatchNorm)
            {
                throw new ArgumentException($"bundle member {k} has network.batch_norm {member.HasBatchNorm}, member 0 {first.HasBatchNorm}: the members of a bundle must agree", nameof(members));
            }

            if (member.BatchNormMomentum != first.BatchNormMomentum)
            {
                throw new ArgumentException($"bundle member {k} has training.bn_decay {1 - member.BatchNormMomentum}, member 0 {1 - first.BatchNormMomentum}: the members of a bundle must agree", nameof(members));
            }

            if (member.Device != first.Device)
            {
                throw new ArgumentException($"bundle member {k} is on {member.Device}, member 0 on {first.Device}: a bundle trains on one device", nameof(members));
            }
        }

        return new BundledMlp(members);
    }

    /// <summary>The member networks, slice k being member k.</summary>
    public IReadOnlyList<MaskedMlp> Members { get; }

    /// <summary>K, the number of members.</summary>
    public int Size => Members.Count;

    /// <summary>n0, hidden widths…, classes (every member's).</summary>
    public IReadOnlyList<int> LayerWidths { get; }

    public int LayerCount => LayerWidths.Count - 1;

    public bool HasBatchNorm { get; }

    /// <summary>PyTorch momentum of the BN running averages (every member's).</summary>
    public double BatchNormMomentum { get; }

    public Device Device { get; }

    /// <summary>Layer <paramref name="layer"/>'s weights [K, out, in].</summary>
    public Parameter Weight(int layer) => _weights[layer];

    /// <summary>Layer <paramref name="layer"/>'s biases [K, out].</summary>
    public Parameter Bias(int layer) => _biases[layer];

    /// <summary>Layer <paramref name="layer"/>'s masks [K, out, in].</summary>
    public Tensor Mask(int layer) => _masks[layer];

    /// <summary>Hidden layer <paramref name="layer"/>'s BatchNorm scales [K, features] (with <see cref="HasBatchNorm"/>).</summary>
    public Parameter NormScale(int layer) => _scales[layer];

    /// <summary>Hidden layer <paramref name="layer"/>'s BatchNorm shifts [K, features].</summary>
    public Parameter NormShift(int layer) => _shifts[layer];

    public Tensor RunningMean(int layer) => _runningMeans[layer];

    public Tensor RunningVariance(int layer) => _runningVariances[layer];

    /// <summary>Every trainable stacked tensor: weights and biases of each layer, then BN scales and shifts.</summary>
    public IEnumerable<Parameter> Parameters() => _weights.Concat(_biases).Concat(_scales).Concat(_shifts);

    /// <summary>BN running averages restart at every training run (docs/science.md §2), as <see cref="MaskedMlp.ResetRunningAverages"/>.</summary>
    public void ResetRunningAverages()
    {
        using var _ = no_grad();
        foreach (var member in Members)
        {
            member.ResetRunningAverages();
        }
    }

    public void ApplyMasksToWeights()
    {
        using var _ = no_grad();
        for (int l = 0; l < LayerCount; l++)
        {
            _weights[l].mul_(_masks[l]);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _weights.Concat(_biases).Concat(_masks).Concat(_scales).Concat(_shifts).Concat(_runningMeans).Concat(_runningVariances))
        {
            tensor.Dispose();
        }
    }

    private static Tensor Stack(IReadOnlyList<MaskedMlp> members, Func<MaskedMlp, Tensor> part) =>
        stack([.. members.Select(part)]).DetachFromDisposeScope();

    /// <summary>A view of slice <paramref name="k"/> that autograd does not connect to the stacked parameter (nothing here
    /// uses autograd; the member's parameter must be a leaf).</summary>
    private static Tensor Slice(Tensor stacked, int k)
    {
        using var detached = stacked.detach();
        return detached.select(0, k).DetachFromDisposeScope();
    }
}
