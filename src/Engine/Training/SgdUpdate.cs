using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>Plain SGD (no momentum, no weight decay): parameter += -learning rate x gradient.</summary>
public sealed class SgdUpdate(IEnumerable<Parameter> parameters, double learningRate) : ParameterUpdate(parameters)
{
    private readonly Scalar _negativeRate = (-learningRate).ToScalar();

    protected override void Update(int index, Parameter parameter, Tensor grad) => parameter.add_(grad, _negativeRate);

    protected override void Dispose(bool disposing) => _negativeRate.Dispose();
}
