using Grid.Engine.Model.Hidden;
using Grid.Engine.Training.Backprop;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>A hidden kernel that writes no packed activations (the path before they existed), to measure what packing
/// saves: every call goes to <paramref name="inner"/>'s unpacked methods.</summary>
internal sealed class UnpackedHiddenKernel(IHiddenKernel inner) : IHiddenKernel
{
    public bool WritesPacked => false;

    public HiddenState Forward(Tensor h, Tensor? gamma, Tensor? beta, double epsilon) => inner.Forward(h, gamma, beta, epsilon);

    public (Tensor Input, Tensor? Gamma, Tensor? Beta) Backward(Tensor da, HiddenState state, Tensor? gamma) => inner.Backward(da, state, gamma);

    public HiddenState ForwardPacked(Tensor h, Tensor? gamma, Tensor? beta, double epsilon, PackedRows output) =>
        throw new NotSupportedException("unpacked on purpose");

    public (Tensor InputSums, Tensor? Gamma, Tensor? Beta) BackwardPacked(Tensor da, HiddenState state, Tensor? gamma, PackedRows inputGradient) =>
        throw new NotSupportedException("unpacked on purpose");
}
