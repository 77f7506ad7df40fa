using Grid.Engine.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

/// <summary>
/// Adam (Kingma &amp; Ba) with PyTorch's defaults (betas 0.9 and 0.999, eps 1e-8, no weight decay, no AMSGrad), in the
/// order of operations of TorchSharp's <c>optim.Adam</c>: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²;
/// p -= lr / (1 - b1^t) · m / (sqrt(v) / sqrt(1 - b2^t) + eps). On the CPU each float32 parameter takes one pass of
/// <see cref="AdamArithmetic"/> (the same bits as libtorch's kernels but for its square root, which is IEEE's there);
/// elsewhere libtorch's operations.
/// </summary>
public sealed unsafe class AdamUpdate : ParameterUpdate
{
    public const double Beta1 = 0.9;
    public const double Beta2 = 0.999;
    public const double Epsilon = 1e-8;

    private readonly double _learningRate;
    private readonly Func<int> _threads;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    /// <summary>Per parameter: it and its moments are contiguous float32 CPU tensors, what <see cref="AdamArithmetic"/> reads
    /// (decided once; only the gradient, new each step, is checked per step).</summary>
    private readonly bool[] _cpuFloats;
    private readonly Scalar _beta1 = Beta1.ToScalar();
    private readonly Scalar _oneMinusBeta1 = (1 - Beta1).ToScalar();
    private readonly Scalar _beta2 = Beta2.ToScalar();
    private readonly Scalar _oneMinusBeta2 = (1 - Beta2).ToScalar();
    private readonly Scalar _epsilon = Epsilon.ToScalar();
    private long _step;
    private AdamArithmetic.Coefficients _coefficients;

    /// <param name="threads">The threads a CPU step may use (default 1); the count does not change the bits.</param>
    public AdamUpdate(IEnumerable<Parameter> parameters, double learningRate, Func<int>? threads = null)
        : this([.. parameters], learningRate, threads)
    {
    }

    private AdamUpdate(Parameter[] parameters, double learningRate, Func<int>? threads)
        : base(parameters)
    {
        _learningRate = learningRate;
        _threads = threads ?? ThreadBudget.CountOf(null);
        _firstMoments = [.. parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _secondMoments = [.. parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _cpuFloats = [.. parameters.Select((p, i) => TensorMemory.HasFloats(p) && TensorMemory.HasFloats(_firstMoments[i]) && TensorMemory.HasFloats(_secondMoments[i]))];
    }

    protected override void BeginStep()
    {
        _step++;
        _coefficients = AdamArithmetic.Coefficients.For(_step, _learningRate, Beta1, Beta2, Epsilon);
    }

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        var m = _firstMoments[index];
        var v = _secondMoments[index];
        if (_cpuFloats[index] && TensorMemory.HasFloats(grad))
        {
            AdamArithmetic.Step(TensorMemory.Floats(parameter), TensorMemory.Floats(grad), TensorMemory.Floats(m), TensorMemory.Floats(v), parameter.numel(), _coefficients, _threads());
            return;
        }

        // The step's coefficients as their float32 values: libtorch's float32 kernels round a Scalar to float, so these
        // give the bits of optim.Adam's doubles (test).
        using var correction = ((double)_coefficients.SecondMomentCorrection).ToScalar();
        using var negativeStepSize = ((double)_coefficients.NegativeStepSize).ToScalar();
        m.mul_(_beta1).add_(grad, _oneMinusBeta1);
        v.mul_(_beta2).addcmul_(grad, grad.conj(), _oneMinusBeta2);
        var denominator = v.sqrt().div_(correction).add_(_epsilon, TorchScalars.One);
        parameter.addcdiv_(m, denominator, negativeStepSize);
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }

        foreach (var scalar in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon })
        {
            scalar.Dispose();
        }
    }
}
