using Grid.Engine.Model;
using Grid.Engine.Model.Hidden;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// One training step of a <see cref="MaskedMlp"/> written out by hand instead of recorded by autograd: forward (Linear →
/// BatchNorm → ReLU per hidden layer, softmax cross-entropy at the output), backward and the optimiser's update, on
/// feature-major activations (each feature's batch values contiguous, the layout of the sparse kernels). The BN running
/// averages are updated as BatchNorm1d does in training mode. Why not autograd: every operation here gives the same bits
/// whatever the number of threads (BatchNorm and ReLU through <see cref="IHiddenKernel"/>; libtorch's own CPU BatchNorm
/// sums per-thread partial results), so a slot may change its thread count without changing a run's masks; and each
/// layer goes through its own <see cref="ILinearKernel"/>, dense or sparse.
/// </summary>
public sealed class BackpropStep : IDisposable
{
    private readonly MaskedMlp _model;
    private readonly IHiddenKernel _hidden;
    private readonly IReadOnlyList<ILinearKernel> _layers;
    private readonly ParameterUpdate _update;
    private readonly FeatureMajorLoss _loss;

    /// <param name="loss">The output's loss and its gradient; libtorch's operations when null.</param>
    /// <param name="threads">The threads of the optimiser's CPU loops (default 1).</param>
    public BackpropStep(MaskedMlp model, TrainingSpec spec, IHiddenKernel hidden, IReadOnlyList<ILinearKernel> layers, FeatureMajorLoss? loss = null, Func<int>? threads = null)
    {
        if (layers.Count != model.LayerCount)
        {
            throw new ArgumentException($"expected {model.LayerCount} layer kernels, got {layers.Count}", nameof(layers));
        }

        _model = model;
        _hidden = hidden;
        _layers = layers;
        _loss = loss ?? SoftmaxCrossEntropy.Tensors;
        var ownWeights = Enumerable.Range(0, layers.Count).Where(l => layers[l].UpdatesWeights).Select(l => model.Linear(l).weight!.Handle).ToHashSet();
        _update = ParameterUpdate.For(spec, model.parameters().Where(p => !ownWeights.Contains(p.Handle)), threads);
    }

    /// <summary>Dense layers, and the hidden kernel for the model's device: the engine's SIMD loops on the CPU, tensor
    /// operations elsewhere.</summary>
    public static BackpropStep Dense(MaskedMlp model, TrainingSpec spec, ThreadBudget? threads) =>
        Create(model, spec, threads, [.. Enumerable.Repeat(KernelKinds.Dense, model.LayerCount)]);

    /// <summary>Layer l with kernel <paramref name="kinds"/>[l] (<see cref="KernelKinds.Dense"/> or <see cref="KernelKinds.Sparse"/>).</summary>
    public static BackpropStep Create(MaskedMlp model, TrainingSpec spec, ThreadBudget? threads, IReadOnlyList<string> kinds) =>
        new(model, spec, HiddenKernelFor(model, threads), LayerKernels(model, spec, threads, kinds), LossFor(model, threads), ThreadBudget.CountOf(threads));

    /// <summary>The loss for the model's device: the engine's SIMD passes on the CPU, libtorch's operations elsewhere.</summary>
    public static FeatureMajorLoss LossFor(MaskedMlp model, ThreadBudget? threads) =>
        SoftmaxCrossEntropy.For(model.Device, ThreadBudget.CountOf(threads));

    /// <summary>The kernel of each layer: layer l's is <paramref name="kinds"/>[l].</summary>
    public static IReadOnlyList<ILinearKernel> LayerKernels(MaskedMlp model, TrainingSpec spec, ThreadBudget? threads, IReadOnlyList<string> kinds)
    {
        var count = ThreadBudget.CountOf(threads);
        return [.. Enumerable.Range(0, model.LayerCount).Select(l => kinds[l] switch
        {
            KernelKinds.Dense => (ILinearKernel)new DenseLinearKernel(model.Linear(l), model.Mask(l)),
            KernelKinds.Sparse => new SparseLinearKernel(model.Linear(l), model.Mask(l), spec, count),
            _ => throw new ArgumentException($"training.kernel: unknown kernel '{kinds[l]}' for layer {l + 1}"),
        })];
    }

    public static IHiddenKernel HiddenKernelFor(MaskedMlp model, ThreadBudget? threads) =>
        model.Device.type == DeviceType.CPU ? new SimdHiddenKernel(ThreadBudget.CountOf(threads)) : new TensorHiddenKernel();

    /// <summary>When set, each phase of a step (a layer's forward or backward products, a hidden layer's BatchNorm and
    /// ReLU, the loss, freeing the activations, the update) is timed into it: where a step's time goes (the <c>sparse --phases</c> benchmark).</summary>
    public StepPhases? Phases { get; set; }

    /// <summary>The kernel of each layer ("dense"/"sparse").</summary>
    public IReadOnlyList<string> Kinds => [.. _layers.Select(l => l.Kind)];

    /// <summary>Forward, loss, backward and update for one batch (images [N, in], labels [N]); returns the mean loss and
    /// the number of correct predictions (0-dim tensors on the model's device, not read back).</summary>
    public (Tensor Loss, Tensor Correct) Run(Tensor images, Tensor labels) => Update(Gradients(images, labels));

    /// <summary><see cref="Run(Tensor, Tensor)"/> for a drawn batch: a sparse first layer packs its images straight from
    /// the dataset's bytes when it can (<see cref="DrawnBatch.Packable"/>; the same values as from the tensor), and no
    /// [B, pixels] tensor is made.</summary>
    public (Tensor Loss, Tensor Correct) Run(DrawnBatch batch) =>
        Update(batch.Packable && _layers[0] is SparseLinearKernel first
            ? Gradients(null, n => first.ForwardPackingEachChunk(n, batch.PackColumns), batch.Labels, batch.Count)
            : Gradients(batch.Images, batch.Labels));

    private (Tensor Loss, Tensor Correct) Update((Tensor Loss, Tensor Correct) gradients)
    {
        var (loss, correct) = gradients;
        Phases?.Mark("freeing activations");
        _update.Step();
        foreach (var layer in _layers)
        {
            layer.Update();
        }

        Phases?.Mark("update");

        return (loss, correct);
    }

    /// <summary>Forward, loss and backward only: every gradient set, nothing updated (BN running averages are).</summary>
    public (Tensor Loss, Tensor Correct) Gradients(Tensor images, Tensor labels) => Gradients(images, null, labels, (int)images.shape[0]);

    /// <param name="images">The batch [N, pixels], or null when <paramref name="firstLayer"/> makes the first layer's output.</param>
    /// <param name="firstLayer">The first layer's forward product for N columns, in place of its kernel's from the images.</param>
    private (Tensor Loss, Tensor Correct) Gradients(Tensor? images, Func<int, Tensor>? firstLayer, Tensor labels, int n)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int layers = _model.LayerCount;
        var inputs = new Tensor?[layers];
        var hidden = new HiddenState?[layers];
        Tensor? x = images?.t(); // a view: the first layer's kernel reads the row-major images as they are
        for (int l = 0; l < layers; l++)
        {
            inputs[l] = x;
            x = l == 0 && firstLayer is not null ? firstLayer(n) : x is null ? Packed(l).ForwardPacked(n) : _layers[l].Forward(x);
            Phases?.Mark($"layer {l + 1} forward");
            if (l < layers - 1)
            {
                var norm = _model.HasBatchNorm ? _model.Norm(l) : null;
                var state = PacksFor(l + 1)
                    ? _hidden.ForwardPacked(x, norm?.weight, norm?.bias, MaskedMlp.BatchNormEpsilon, Packed(l + 1).PackedInput)
                    : _hidden.Forward(x, norm?.weight, norm?.bias, MaskedMlp.BatchNormEpsilon);
                hidden[l] = state;
                if (norm is not null)
                {
                    UpdateRunningAverages(norm, state, x.shape[1]);
                }

                Phases?.Mark($"hidden {l + 1} forward");
                x = state.Output; // null when written packed for the next layer
            }
        }

        var (loss, correct, logitGradient) = _loss(x!, labels); // logits [classes, N]
        Phases?.Mark("loss");
        Tensor? gradient = logitGradient;
        Tensor? biasGradient = null;
        for (int l = layers - 1; l >= 0; l--)
        {
            var inputGradient = gradient is null
                ? Packed(l).BackwardPacked(n, biasGradient!, inputGradient: l > 0)
                : _layers[l].Backward(gradient, inputs[l]!, inputGradient: l > 0);
            Phases?.Mark($"layer {l + 1} backward");
            if (inputGradient is null)
            {
                break;
            }

            var norm = _model.HasBatchNorm ? _model.Norm(l - 1) : null;
            Tensor? dgamma, dbeta;
            if (PacksFor(l - 1))
            {
                (biasGradient, dgamma, dbeta) = _hidden.BackwardPacked(inputGradient, hidden[l - 1]!, norm?.weight, Packed(l - 1).PackedGradient);
                gradient = null;
            }
            else
            {
                (gradient, dgamma, dbeta) = _hidden.Backward(inputGradient, hidden[l - 1]!, norm?.weight);
            }

            if (norm is not null)
            {
                norm.weight!.grad = dgamma;
                norm.bias!.grad = dbeta;
            }

            Phases?.Mark($"hidden {l} backward");
        }

        foreach (var state in hidden)
        {
            state?.Dispose();
        }

        return (loss.MoveToOuterDisposeScope(), correct.MoveToOuterDisposeScope());
    }

    /// <summary>True when the hidden layer beside layer <paramref name="l"/> writes that layer's input and output
    /// gradient packed: the layer reads them packed (sparse) and the hidden kernel can write them so.</summary>
    private bool PacksFor(int l) => _hidden.WritesPacked && _layers[l] is IPackedLinearKernel;

    private IPackedLinearKernel Packed(int l) => (IPackedLinearKernel)_layers[l];

    public void Dispose()
    {
        _update.Dispose();
        foreach (var layer in _layers)
        {
            layer.Dispose();
        }
    }

    /// <summary>BatchNorm1d's training-mode update: running = (1 - m)·running + m·batch, the variance unbiased.</summary>
    private void UpdateRunningAverages(TorchSharp.Modules.BatchNorm1d norm, HiddenState batch, long count) =>
        BatchNormAverages.Update(norm.running_mean!, norm.running_var!, batch.Mean!, batch.Variance!, _model.BatchNormMomentum, count);
}
