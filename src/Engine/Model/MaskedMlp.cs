using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Model;

/// <summary>
/// The paper's fully connected network (docs/science.md §2): input → hidden layers (Linear → BatchNorm → ReLU) → Linear
/// output. Each linear layer carries a 0/1 mask; pruned weights are kept exactly zero by masking the
/// gradients before and the weights after every optimiser step.
/// </summary>
public sealed class MaskedMlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> _linears = new();
    private readonly ModuleList<BatchNorm1d> _norms = new();
    private readonly Tensor[] _masks;

    public MaskedMlp(int inputs, NetworkSpec network, int classes, double bnDecay, Device device)
        : base(nameof(MaskedMlp))
    {
        BatchNormMomentum = 1 - bnDecay;
        TorchRuntime.EnsureLoaded();
        LayerWidths = [inputs, .. network.Hidden, classes];
        PruneFlags = network.PruneFlags();
        if (PruneFlags.Count != LayerCount)
        {
            throw new ArgumentException($"network.prune: expected {LayerCount} flags (one per linear layer), got {PruneFlags.Count}");
        }

        for (int l = 0; l < LayerCount; l++)
        {
            _linears.Add(nn.Linear(LayerWidths[l], LayerWidths[l + 1], hasBias: true, device: device));
            if (l < LayerCount - 1 && network.BatchNorm)
            {
                // TF-style decay d corresponds to PyTorch momentum 1 - d; TF's default epsilon.
                _norms.Add(nn.BatchNorm1d(LayerWidths[l + 1], eps: BatchNormEpsilon, momentum: 1 - bnDecay, device: device));
            }
        }

        RegisterComponents();
        _masks = [.. _linears.Select(linear => ones_like(linear.weight!).requires_grad_(false))];
        Device = device;
    }

    /// <summary>The network of an experiment for the given data (inputs and classes), on <paramref name="device"/>.</summary>
    public static MaskedMlp For(ExperimentSpec spec, Training.IBatchSource data, Device device) =>
        new(data.Inputs, spec.Network, data.Classes, spec.Training.BnDecay, device);

    /// <summary>n0, hidden widths…, classes.</summary>
    public IReadOnlyList<int> LayerWidths { get; }

    public IReadOnlyList<bool> PruneFlags { get; }

    public int LayerCount => LayerWidths.Count - 1;

    public Device Device { get; }

    /// <summary>PyTorch momentum of the BN running averages: 1 - the spec's TF-style decay.</summary>
    public double BatchNormMomentum { get; }

    public Linear Linear(int layer) => _linears[layer];

    /// <summary>Whether hidden layers have BatchNorm.</summary>
    public bool HasBatchNorm => _norms.Count > 0;

    /// <summary>The BatchNorm after hidden layer <paramref name="layer"/> (only when <see cref="HasBatchNorm"/>).</summary>
    public BatchNorm1d Norm(int layer) => _norms[layer];

    /// <summary>BatchNorm's epsilon (TensorFlow's default, as the reference code).</summary>
    public const double BatchNormEpsilon = 1e-3;

    public Tensor Mask(int layer) => _masks[layer];

    public override Tensor forward(Tensor input)
    {
        Tensor x = input;
        for (int l = 0; l < LayerCount; l++)
        {
            x = _linears[l].forward(x);
            if (l < LayerCount - 1)
            {
                if (_norms.Count > 0)
                {
                    x = _norms[l].forward(x);
                }

                x = nn.functional.relu(x);
            }
        }

        return x;
    }

    /// <summary>The network's output from the pre-activation (linear output) of layer <paramref name="layer"/> onwards: that
    /// layer's BatchNorm and ReLU, then the later layers (e.g. to evaluate many changes of layer 1's output cheaply).</summary>
    public Tensor ForwardFrom(int layer, Tensor preActivation)
    {
        Tensor x = preActivation;
        for (int l = layer; l < LayerCount; l++)
        {
            if (l > layer)
            {
                x = _linears[l].forward(x);
            }

            if (l < LayerCount - 1)
            {
                if (_norms.Count > 0)
                {
                    x = _norms[l].forward(x);
                }

                x = nn.functional.relu(x);
            }
        }

        return x;
    }

    /// <summary>Output of hidden layer <paramref name="layer"/> after its ReLU (for activation analyses).</summary>
    public Tensor HiddenActivation(Tensor input, int layer)
    {
        Tensor x = input;
        for (int l = 0; l <= layer; l++)
        {
            x = _linears[l].forward(x);
            if (_norms.Count > 0)
            {
                x = _norms[l].forward(x);
            }

            x = nn.functional.relu(x);
        }

        return x;
    }

    /// <summary>Glorot-normal weights N(0, 2/(n_in+n_out)), zero biases, BN scale 1 / shift 0, fresh running averages.</summary>
    public void Initialise(Generator generator)
    {
        using var _ = no_grad();
        foreach (var linear in _linears)
        {
            var weight = linear.weight!;
            double std = Math.Sqrt(2.0 / (weight.shape[0] + weight.shape[1]));
            using var sample = randn(weight.shape, dtype: float32, generator: generator);
            using var scale = std.ToScalar(); // held until mul_ returns: see TorchScalars
            weight.copy_(sample.mul_(scale));
            linear.bias!.zero_();
        }

        foreach (var norm in _norms)
        {
            norm.weight!.fill_(TorchScalars.One);
            norm.bias!.zero_();
        }

        ResetRunningAverages();
    }

    /// <summary>BN running averages restart at every training run (docs/science.md §2).</summary>
    public void ResetRunningAverages()
    {
        foreach (var norm in _norms)
        {
            norm.reset_running_stats();
        }
    }

    /// <summary>Makes linear layer <paramref name="layer"/>'s weight, bias and mask the given tensors (views of a
    /// <see cref="BundledMlp"/>'s slices, same shapes), so that what is written through this network or the bundle is
    /// seen by both. The tensors become this network's.</summary>
    internal void ShareLinear(int layer, Tensor weight, Tensor bias, Tensor mask)
    {
        var linear = _linears[layer];
        linear.weight = new Parameter(weight);
        linear.bias = new Parameter(bias);
        _masks[layer].Dispose();
        _masks[layer] = mask;
    }

    /// <summary>Makes hidden layer <paramref name="layer"/>'s BatchNorm scale, shift and running averages the given
    /// tensors (see <see cref="ShareLinear"/>).</summary>
    internal void ShareNorm(int layer, Tensor scale, Tensor shift, Tensor runningMean, Tensor runningVariance)
    {
        var norm = _norms[layer];
        norm.weight = new Parameter(scale);
        norm.bias = new Parameter(shift);
        norm.running_mean = runningMean;
        norm.running_var = runningVariance;
    }

    public void SetMasks(IReadOnlyList<Tensor> masks)
    {
        if (masks.Count != LayerCount)
        {
            throw new ArgumentException($"expected {LayerCount} masks, got {masks.Count}");
        }

        using var _ = no_grad();
        for (int l = 0; l < LayerCount; l++)
        {
            if (!masks[l].shape.SequenceEqual(_masks[l].shape))
            {
                throw new ArgumentException($"mask of layer {l + 1} has shape [{string.Join(',', masks[l].shape)}], expected [{string.Join(',', _masks[l].shape)}]");
            }

            _masks[l].copy_(masks[l]);
        }

        ApplyMasksToWeights();
    }

    public void ApplyMasksToWeights()
    {
        using var _ = no_grad();
        for (int l = 0; l < LayerCount; l++)
        {
            _linears[l].weight!.mul_(_masks[l]);
        }
    }

    public void MaskGradients()
    {
        using var _ = no_grad();
        for (int l = 0; l < LayerCount; l++)
        {
            _linears[l].weight!.grad?.mul_(_masks[l]);
        }
    }
}
