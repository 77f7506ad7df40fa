using Grid.Engine.Model;
using Grid.Engine.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>
/// The optimiser of docs/science.md §2: plain SGD, or Adam with PyTorch's defaults. The same arithmetic, kernel for kernel, as
/// TorchSharp's <c>optim.SGD</c> and <c>optim.Adam</c>, which pass every step's coefficients as temporary Scalars
/// (see <see cref="Runtime.TorchScalars"/>); here each coefficient is a Scalar this object owns, or one held by a
/// <c>using</c> until the native call has returned.
/// </summary>
public abstract class ParameterUpdate : IDisposable
{
    private readonly Parameter[] _parameters;

    protected ParameterUpdate(IEnumerable<Parameter> parameters) => _parameters = [.. parameters];

    public static ParameterUpdate For(TrainingSpec spec, MaskedMlp model) => For(spec, model.parameters());

    /// <summary>The optimiser of <paramref name="parameters"/> only (e.g. without the weights a sparse layer updates itself);
    /// <paramref name="threads"/>: the threads its CPU loops may use (default 1), which do not change the bits.</summary>
    public static ParameterUpdate For(TrainingSpec spec, IEnumerable<Parameter> parameters, Func<int>? threads = null) => spec.Optimizer switch
    {
        Optimizers.Sgd => new SgdUpdate(parameters, spec.LearningRate),
        Optimizers.Adam => new AdamUpdate(parameters, spec.LearningRate, threads),
        _ => throw new ArgumentException($"training.optimizer: unknown optimiser '{spec.Optimizer}' (expected {string.Join(", ", Optimizers.All)})"),
    };

    /// <summary>Zeroes the gradients that backward() accumulates into.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        BeginStep();
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].grad is { } grad)
            {
                Update(i, _parameters[i], grad);
            }
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void BeginStep()
    {
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient.</summary>
    protected abstract void Update(int index, Parameter parameter, Tensor grad);

    protected abstract void Dispose(bool disposing);
}
