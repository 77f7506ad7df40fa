using Grid.Engine.Model.Hidden;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

/// <summary>A hidden kernel that passes everything to <paramref name="inner"/>, says whether it writes packed
/// activations as told, and counts the packed passes it made (so a test can tell that packing happened).</summary>
internal sealed class PackingSwitch(IHiddenKernel inner, bool packs) : IHiddenKernel
{
    public int PackedPasses { get; private set; }

    public bool WritesPacked => packs && inner.WritesPacked;

    public HiddenState Forward(Tensor h, Tensor? gamma, Tensor? beta, double epsilon) => inner.Forward(h, gamma, beta, epsilon);

    public (Tensor Input, Tensor? Gamma, Tensor? Beta) Backward(Tensor da, HiddenState state, Tensor? gamma) => inner.Backward(da, state, gamma);

    public HiddenState ForwardPacked(Tensor h, Tensor? gamma, Tensor? beta, double epsilon, PackedRows output)
    {
        PackedPasses++;
        return inner.ForwardPacked(h, gamma, beta, epsilon, output);
    }

    public (Tensor InputSums, Tensor? Gamma, Tensor? Beta) BackwardPacked(Tensor da, HiddenState state, Tensor? gamma, PackedRows inputGradient)
    {
        PackedPasses++;
        return inner.BackwardPacked(da, state, gamma, inputGradient);
    }
}
