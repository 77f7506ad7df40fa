using Grid.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>The gradient of the mean softmax cross-entropy for feature-major logits (<see cref="BackpropStep"/>, and per
/// member <see cref="Bundles.BundledStep"/>).</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>d loss / d logits = (softmax - one-hot) / batch, from the log-probabilities over dimension
    /// <paramref name="classDimension"/> and the targets (the labels unsqueezed at that dimension).</summary>
    public static Tensor Gradient(Tensor logProbabilities, Tensor targets, long classDimension, long batch)
    {
        using var count = ((double)batch).ToScalar();
        var gradient = logProbabilities.exp();
        return gradient.scatter_(classDimension, targets, gradient.gather(classDimension, targets).sub_(TorchScalars.One)).div_(count);
    }
}
