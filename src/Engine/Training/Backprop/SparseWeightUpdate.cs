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

    /// <summary>Adam with <see cref="AdamArithmetic"/>'s arithmetic, that of <see cref="AdamUpdate"/>'s CPU pass: the
    /// entries' deltas in SIMD (the gradient, moments and deltas are contiguous by entry), then added weight by weight.</summary>
    private sealed class Adam(double learningRate, int count) : SparseWeightUpdate
    {
        private readonly float[] _first = new float[count];
        private readonly float[] _second = new float[count];
        private readonly float[] _deltas = new float[count];
        private long _step;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Step(float* weights, int[] offsets, float* gradient, int count)
        {
            _step++;
            var coefficients = AdamArithmetic.Coefficients.For(_step, learningRate, AdamUpdate.Beta1, AdamUpdate.Beta2, AdamUpdate.Epsilon);
            fixed (float* first = _first, second = _second, deltas = _deltas)
            {
                AdamArithmetic.Deltas(gradient, first, second, deltas, count, coefficients);
                for (int k = 0; k < count; k++)
                {
                    weights[offsets[k]] += deltas[k];
                }
            }
        }
    }
}
