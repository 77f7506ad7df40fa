using System.Runtime.CompilerServices;
using Grid.Engine.Specs;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// The optimiser of a sparse layer's unpruned weights, in place in the dense weight tensor at the layout's offsets, with
/// the arithmetic of <see cref="SgdUpdate"/> and <see cref="AdamUpdate"/> (same formulas and order of operations, float32),
/// so pruned weights are never touched and stay exactly zero.
/// </summary>
public abstract unsafe class SparseWeightUpdate
{
    public static SparseWeightUpdate For(TrainingSpec spec, int count) => spec.Optimizer switch
    {
        Optimizers.Sgd => new Sgd(spec.LearningRate),
        Optimizers.Adam => new Adam(spec.LearningRate, count),
        _ => throw new ArgumentException($"training.optimizer: unknown optimiser '{spec.Optimizer}' (expected {string.Join(", ", Optimizers.All)})"),
    };

    /// <summary>Applies <paramref name="gradient"/>[k] to weights[offsets[k]] for every entry k.</summary>
    public abstract void Step(float* weights, int[] offsets, float* gradient, int count);

    private sealed class Sgd(double learningRate) : SparseWeightUpdate
    {
        private readonly float _negativeRate = (float)-learningRate;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Step(float* weights, int[] offsets, float* gradient, int count)
        {
            for (int k = 0; k < count; k++)
            {
                weights[offsets[k]] += _negativeRate * gradient[k];
            }
        }
    }

    /// <summary>m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²; p += -(lr / (1 - b1^t)) · m / (sqrt(v) / sqrt(1 - b2^t) + eps).</summary>
    private sealed class Adam(double learningRate, int count) : SparseWeightUpdate
    {
        // The coefficients libtorch receives from AdamUpdate: doubles, rounded to float by the float32 kernels.
        private const float Beta1 = (float)0.9;
        private const float OneMinusBeta1 = (float)(1 - 0.9);
        private const float Beta2 = (float)0.999;
        private const float OneMinusBeta2 = (float)(1 - 0.999);
        private const float Epsilon = (float)1e-8;
        private readonly float[] _first = new float[count];
        private readonly float[] _second = new float[count];
        private long _step;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Step(float* weights, int[] offsets, float* gradient, int count)
        {
            _step++;
            float correction2 = (float)Math.Sqrt(1 - Math.Pow(0.999, _step));
            float stepSize = (float)-(learningRate / (1 - Math.Pow(0.9, _step)));
            for (int k = 0; k < count; k++)
            {
                float g = gradient[k];
                float m = _first[k] = _first[k] * Beta1 + g * OneMinusBeta1;
                float v = _second[k] = _second[k] * Beta2 + g * g * OneMinusBeta2;
                weights[offsets[k]] += stepSize * (m / (MathF.Sqrt(v) / correction2 + Epsilon));
            }
        }
    }
}
