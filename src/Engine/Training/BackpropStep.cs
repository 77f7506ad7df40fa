using Grid.Engine.Model;
using Grid.Engine.Model.Hidden;
using Grid.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>
/// One training step's forward and backward pass through a <see cref="MaskedMlp"/>, written out by hand instead of
/// recorded by autograd: Linear → BatchNorm → ReLU per hidden layer, softmax cross-entropy at the output. It leaves each
/// parameter's gradient in its <c>.grad</c> (weight gradients masked) for <see cref="ParameterUpdate"/>, and updates the
/// BN running averages as BatchNorm1d does in training mode. Why not autograd: every operation here gives the same bits
/// whatever the number of threads (BatchNorm and ReLU through <see cref="IHiddenKernel"/>; libtorch's own CPU BatchNorm
/// sums per-thread partial results), so a slot may change its thread count under load without changing a run's masks;
/// and a written-out step is where other kernels for a layer (sparse, bundled) plug in.
/// </summary>
public sealed class BackpropStep
{
    private static readonly long[] BatchDimension = [0];
    private readonly MaskedMlp _model;
    private readonly IHiddenKernel _hidden;

    public BackpropStep(MaskedMlp model, IHiddenKernel hidden)
    {
        _model = model;
        _hidden = hidden;
    }

    /// <summary>The kernel for the model's device: the engine's SIMD loops on the CPU, tensor operations elsewhere.</summary>
    public static BackpropStep For(MaskedMlp model, ThreadBudget? threads) =>
        new(model, model.Device.type == DeviceType.CPU ? new SimdHiddenKernel(() => threads?.Threads ?? 1) : new TensorHiddenKernel());

    /// <summary>Forward, loss and backward for one batch; returns the mean loss and the number of correct predictions
    /// (0-dim tensors on the model's device, not read back).</summary>
    public (Tensor Loss, Tensor Correct) Run(Tensor images, Tensor labels)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int layers = _model.LayerCount;
        var inputs = new Tensor[layers];
        var hidden = new HiddenState?[layers];
        Tensor x = images;
        for (int l = 0; l < layers; l++)
        {
            inputs[l] = x;
            var linear = _model.Linear(l);
            x = addmm(linear.bias!, x, linear.weight!.t(), 1, 1);
            if (l < layers - 1)
            {
                var norm = _model.HasBatchNorm ? _model.Norm(l) : null;
                var state = _hidden.Forward(x, norm?.weight, norm?.bias, MaskedMlp.BatchNormEpsilon);
                hidden[l] = state;
                if (norm is not null)
                {
                    UpdateRunningAverages(norm, state, x.shape[0]);
                }

                x = state.Output;
            }
        }

        var logits = x;
        var logProbabilities = nn.functional.log_softmax(logits, 1);
        var loss = nn.functional.nll_loss(logProbabilities, labels);
        var correct = logits.argmax(1).eq(labels).sum().to_type(float32);

        // d loss / d logits = (softmax - one-hot) / N
        using var count = ((double)labels.shape[0]).ToScalar();
        var gradient = logProbabilities.exp();
        var targets = labels.unsqueeze(1);
        gradient.scatter_(1, targets, gradient.gather(1, targets).sub_(TorchScalars.One)).div_(count);
        for (int l = layers - 1; l >= 0; l--)
        {
            var linear = _model.Linear(l);
            linear.weight!.grad = WeightGradient(gradient, inputs[l]).mul_(_model.Mask(l));
            linear.bias!.grad = gradient.sum(BatchDimension);
            if (l == 0)
            {
                break;
            }

            var norm = _model.HasBatchNorm ? _model.Norm(l - 1) : null;
            var (input, dgamma, dbeta) = _hidden.Backward(gradient.mm(linear.weight!), hidden[l - 1]!, norm?.weight);
            if (norm is not null)
            {
                norm.weight!.grad = dgamma;
                norm.bias!.grad = dbeta;
            }

            gradient = input;
        }

        foreach (var state in hidden)
        {
            state?.Dispose();
        }

        return (loss.MoveToOuterDisposeScope(), correct.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// dW = gᵀ·a, [out, in], a sum over the batch. BLAS splits that sum between threads when the product has few rows
    /// (the output layer's 10 classes), which makes the bits depend on the thread count; computed as (aᵀ·g)ᵀ its rows
    /// are the many inputs and it does not (measured: docs/throughput.md). The transposed form costs a copy, so it is
    /// used only for layers with few outputs. The thread-count check of
    /// <see cref="ThreadCalibration"/> guards the rule.
    /// </summary>
    private static Tensor WeightGradient(Tensor gradient, Tensor input) =>
        gradient.shape[1] >= Math.Min(input.shape[1], FewOutputs) ? gradient.t().mm(input) : input.t().mm(gradient).t().contiguous();

    /// <summary>Layers with fewer outputs than this (and fewer than inputs) take the transposed product.</summary>
    private const long FewOutputs = 64;

    /// <summary>BatchNorm1d's training-mode update: running = (1 - m)·running + m·batch, the variance unbiased.</summary>
    private void UpdateRunningAverages(TorchSharp.Modules.BatchNorm1d norm, HiddenState batch, long count)
    {
        double momentum = _model.BatchNormMomentum;
        using var keep = (1 - momentum).ToScalar();
        using var take = momentum.ToScalar();
        using var unbiased = (momentum * count / Math.Max(1, count - 1)).ToScalar();
        norm.running_mean!.mul_(keep).add_(batch.Mean!, take);
        norm.running_var!.mul_(keep).add_(batch.Variance!, unbiased);
    }
}
