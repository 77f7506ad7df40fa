using Grid.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>The mean softmax cross-entropy of feature-major logits [classes, N] and labels [N]: the loss and the number of
/// correct predictions (0-dim tensors) and d loss / d logits [classes, N]. For a bundle's logits [K, classes, N] and labels
/// [K, N]: each member's ([K] tensors) and gradient.</summary>
public delegate (Tensor Loss, Tensor Correct, Tensor Gradient) FeatureMajorLoss(Tensor logits, Tensor labels);

/// <summary>Softmax cross-entropy for feature-major logits (<see cref="BackpropStep"/>, and per member
/// <see cref="Bundles.BundledStep"/>).</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>The engine's SIMD passes on the CPU (<see cref="SimdSoftmaxCrossEntropy"/>), libtorch's operations on
    /// other devices.</summary>
    public static FeatureMajorLoss For(Device device, Func<int> threads) =>
        device.type == DeviceType.CPU ? (logits, labels) => SimdSoftmaxCrossEntropy.Run(logits.contiguous(), labels.contiguous(), threads()) : Tensors;

    /// <summary>The loss as libtorch's operations, on any device.</summary>
    public static (Tensor Loss, Tensor Correct, Tensor Gradient) Tensors(Tensor logits, Tensor labels)
    {
        long classes = logits.dim() - 2; // the class dimension: 0, or 1 after a bundle's member dimension
        var targets = labels.unsqueeze(classes);
        var logProbabilities = nn.functional.log_softmax(logits, classes);
        var loss = logProbabilities.gather(classes, targets).mean([classes, classes + 1]).neg();
        var correct = logits.argmax(classes).eq(labels).sum([classes]).to_type(float32);
        return (loss, correct, Gradient(logProbabilities, targets, classes, labels.shape[^1]));
    }

    /// <summary>d loss / d logits = (softmax - one-hot) / batch, from the log-probabilities over dimension
    /// <paramref name="classDimension"/> and the targets (the labels unsqueezed at that dimension).</summary>
    public static Tensor Gradient(Tensor logProbabilities, Tensor targets, long classDimension, long batch)
    {
        using var count = ((double)batch).ToScalar();
        var gradient = logProbabilities.exp();
        return gradient.scatter_(classDimension, targets, gradient.gather(classDimension, targets).sub_(TorchScalars.One)).div_(count);
    }
}
