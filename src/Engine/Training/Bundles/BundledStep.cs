using TorchSharp;
using Grid.Engine.Model;
using Grid.Engine.Model.Hidden;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Bundles;

/// <summary>
/// One training step of a <see cref="BundledMlp"/>: <see cref="BackpropStep"/>'s forward, backward and update for K
/// members at once, every operation over the stacked tensors. The loss is the sum of the members' mean cross-entropies,
/// so each member's gradient is its solo gradient. Hidden layers run through the same <see cref="IHiddenKernel"/> over
/// [K·features, B] (BatchNorm's statistics are per feature, so per member and feature), and the optimiser updates the
/// stacked parameters elementwise (Adam's step count is shared: members train in lockstep).
/// </summary>
public sealed class BundledStep : IDisposable
{
    private readonly BundledMlp _model;
    private readonly IHiddenKernel _hidden;
    private readonly BundledLinear[] _layers;
    private readonly ParameterUpdate _update;
    private readonly FeatureMajorLoss _loss;

    /// <param name="loss">The members' losses over the stacked logits; libtorch's operations when null.</param>
    /// <param name="threads">The threads of the optimiser's CPU loops (default 1).</param>
    public BundledStep(BundledMlp model, TrainingSpec spec, IHiddenKernel hidden, FeatureMajorLoss? loss = null, Func<int>? threads = null)
    {
        _model = model;
        _hidden = hidden;
        _loss = loss ?? SoftmaxCrossEntropy.Tensors;
        _layers = [.. Enumerable.Range(0, model.LayerCount).Select(l => new BundledLinear(model.Weight(l), model.Bias(l), model.Mask(l)))];
        _update = ParameterUpdate.For(spec, model.Parameters(), threads);
    }

    /// <summary>The hidden kernel and the loss of the solo path for the device (<see cref="BackpropStep.HiddenKernelFor"/>,
    /// <see cref="BackpropStep.LossFor"/>).</summary>
    public static BundledStep Create(BundledMlp model, TrainingSpec spec, ThreadBudget? threads) =>
        new(model, spec, BackpropStep.HiddenKernelFor(model.Members[0], threads), BackpropStep.LossFor(model.Members[0], threads), ThreadBudget.CountOf(threads));

    /// <summary>Forward, loss, backward and update for one batch per member (images [K, B, in], labels [K, B]); returns
    /// each member's mean loss and number of correct predictions ([K] tensors on the device, not read back).</summary>
    public (Tensor Loss, Tensor Correct) Run(Tensor images, Tensor labels)
    {
        var (loss, correct) = Gradients(images, labels);
        _update.Step(); // pruned weights stay zero: their gradients are masked (see DenseLinearKernel.Update)
        return (loss, correct);
    }

    /// <summary>Forward, loss and backward only: every gradient set, nothing updated (BN running averages are).</summary>
    public (Tensor Loss, Tensor Correct) Gradients(Tensor images, Tensor labels)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int layers = _model.LayerCount;
        long members = images.shape[0], batch = images.shape[1];
        var inputs = new Tensor[layers];
        var hidden = new HiddenState?[layers];
        Tensor x = images.transpose(1, 2);
        for (int l = 0; l < layers; l++)
        {
            inputs[l] = x;
            x = _layers[l].Forward(x);
            if (l < layers - 1)
            {
                long features = x.shape[1];
                var state = _hidden.Forward(x.view(members * features, batch), Flat(_model.HasBatchNorm ? _model.NormScale(l) : null), Flat(_model.HasBatchNorm ? _model.NormShift(l) : null), MaskedMlp.BatchNormEpsilon);
                hidden[l] = state;
                if (_model.HasBatchNorm)
                {
                    UpdateRunningAverages(l, state, batch);
                }

                x = state.Output!.view(members, features, batch);
            }
        }

        var (loss, correct, gradient) = _loss(x, labels); // logits [K, classes, B]: each member's loss as alone
        for (int l = layers - 1; l >= 0; l--)
        {
            var inputGradient = _layers[l].Backward(gradient, inputs[l], inputGradient: l > 0);
            if (inputGradient is null)
            {
                break;
            }

            long features = inputGradient.shape[1];
            var scale = _model.HasBatchNorm ? _model.NormScale(l - 1) : null;
            var (previous, dscale, dshift) = _hidden.Backward(inputGradient.view(members * features, batch), hidden[l - 1]!, Flat(scale));
            if (scale is not null)
            {
                scale.grad = dscale!.view(members, features);
                _model.NormShift(l - 1).grad = dshift!.view(members, features);
            }

            gradient = previous.view(members, features, batch);
        }

        foreach (var state in hidden)
        {
            state?.Dispose();
        }

        return (loss.MoveToOuterDisposeScope(), correct.MoveToOuterDisposeScope());
    }

    public void Dispose() => _update.Dispose();


    private static Tensor? Flat(Tensor? stacked) => stacked?.view(-1);

    /// <summary>BatchNorm1d's training-mode update per member and feature, as <see cref="BackpropStep"/>'s.</summary>
    private void UpdateRunningAverages(int layer, HiddenState batch, long count) =>
        BatchNormAverages.Update(_model.RunningMean(layer), _model.RunningVariance(layer),
            batch.Mean!.view(_model.RunningMean(layer).shape), batch.Variance!.view(_model.RunningVariance(layer).shape), _model.BatchNormMomentum, count);
}
