using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Grid.Engine.Runtime;

namespace Grid.Engine.Training;

/// <summary>
/// One Adam step of float32 weights in a single pass, m, v and the weight each read and written once: the arithmetic of
/// libtorch's kernels in <see cref="AdamUpdate"/>'s order (m = fma(g, 1 - b1, b1·m); v = fma((1 - b2)·g, g, b2·v);
/// p += (-step·m) / (sqrt(v) / c2 + eps)), bit for bit, except that the square root is IEEE's, correctly rounded. Why not
/// libtorch's operations: they take eight passes and temporaries, and on the CPU their square root is MKL's, which
/// is not correctly rounded in about 15 % of values here and takes a slow path for every zero, so a masked layer's
/// step cost more the more of its weights were pruned (docs/throughput.md §3). Elementwise, so the bits do not depend on
/// how the weights are split between threads.
/// </summary>
public static unsafe class AdamArithmetic
{
    /// <summary>Weights per task of the parallel loop (a step of fewer than <see cref="ParallelWork.ParallelFrom"/> stays on
    /// the calling thread).</summary>
    private const int Block = 16_384;

    /// <summary>The step's coefficients as libtorch's float32 kernels receive them (doubles rounded to float).</summary>
    public readonly record struct Coefficients(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float SecondMomentCorrection, float NegativeStepSize, float Epsilon)
    {
        /// <summary>Step <paramref name="step"/> (from 1) of Adam with the given hyperparameters.</summary>
        public static Coefficients For(long step, double learningRate, double beta1, double beta2, double epsilon) => new(
            (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
            (float)Math.Sqrt(1 - Math.Pow(beta2, step)), (float)-(learningRate / (1 - Math.Pow(beta1, step))), (float)epsilon);
    }

    /// <summary>The step of one weight: updates its moments and returns what to add to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Delta(float g, ref float m, ref float v, in Coefficients c)
    {
        m = MathF.FusedMultiplyAdd(g, c.OneMinusBeta1, m * c.Beta1);
        v = MathF.FusedMultiplyAdd(c.OneMinusBeta2 * g, g, v * c.Beta2);
        return c.NegativeStepSize * m / (MathF.Sqrt(v) / c.SecondMomentCorrection + c.Epsilon);
    }

    /// <summary>Steps <paramref name="count"/> weights in place, split between up to <paramref name="threads"/> threads.</summary>
    public static void Step(float* weights, float* gradient, float* first, float* second, long count, Coefficients c, int threads)
    {
        int blocks = (int)((count + Block - 1) / Block);
        ParallelWork.Run(blocks, threads, count, b =>
        {
            long start = (long)b * Block;
            Step(weights + start, gradient + start, first + start, second + start, (int)Math.Min(Block, count - start), c);
        });
    }

    /// <summary>The steps of <paramref name="count"/> weights' gradients, their moments updated in place: the deltas to
    /// add to weights that are not contiguous (a sparse layer's, at its layout's offsets).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Deltas(float* gradient, float* first, float* second, float* deltas, int count, Coefficients c)
    {
        var vectors = new VectorCoefficients(c);
        int i = 0, w = Vector256<float>.Count;
        for (; i + w <= count; i += w)
        {
            Delta(gradient + i, first + i, second + i, vectors).Store(deltas + i);
        }

        for (; i < count; i++)
        {
            deltas[i] = Delta(gradient[i], ref first[i], ref second[i], c);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Step(float* p, float* g, float* m, float* v, int count, Coefficients c)
    {
        var vectors = new VectorCoefficients(c);
        int i = 0, w = Vector256<float>.Count;
        for (; i + w <= count; i += w)
        {
            (Vector256.Load(p + i) + Delta(g + i, m + i, v + i, vectors)).Store(p + i);
        }

        for (; i < count; i++)
        {
            p[i] += Delta(g[i], ref m[i], ref v[i], c);
        }
    }

    /// <summary><see cref="Delta(float, ref float, ref float, in Coefficients)"/> for eight weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Delta(float* g, float* m, float* v, in VectorCoefficients c)
    {
        var gradient = Vector256.Load(g);
        var first = Vector256.FusedMultiplyAdd(gradient, c.OneMinusBeta1, Vector256.Load(m) * c.Beta1);
        var second = Vector256.FusedMultiplyAdd(c.OneMinusBeta2 * gradient, gradient, Vector256.Load(v) * c.Beta2);
        first.Store(m);
        second.Store(v);
        return c.NegativeStepSize * first / (Vector256.Sqrt(second) / c.SecondMomentCorrection + c.Epsilon);
    }

    private readonly struct VectorCoefficients(Coefficients c)
    {
        public readonly Vector256<float> Beta1 = Vector256.Create(c.Beta1);
        public readonly Vector256<float> OneMinusBeta1 = Vector256.Create(c.OneMinusBeta1);
        public readonly Vector256<float> Beta2 = Vector256.Create(c.Beta2);
        public readonly Vector256<float> OneMinusBeta2 = Vector256.Create(c.OneMinusBeta2);
        public readonly Vector256<float> SecondMomentCorrection = Vector256.Create(c.SecondMomentCorrection);
        public readonly Vector256<float> NegativeStepSize = Vector256.Create(c.NegativeStepSize);
        public readonly Vector256<float> Epsilon = Vector256.Create(c.Epsilon);
    }
}
