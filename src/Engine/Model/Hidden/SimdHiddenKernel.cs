using System.Numerics;
using System.Runtime.CompilerServices;
using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Model.Hidden;

/// <summary>
/// The hidden layer's non-linear part on the CPU with the engine's own SIMD loops over feature-major [C, N] activations
/// (a feature's N batch values contiguous), BatchNorm and ReLU fused: per feature, the forward pass reads its row three
/// times (sum, centred squares, output) and the backward pass twice. Each row is reduced by one thread in a fixed order,
/// and rows are shared between threads (<paramref name="threads"/>, read at each call) only as whole rows, so the bits
/// are the same whatever the number of threads.
/// </summary>
public sealed class SimdHiddenKernel(Func<int> threads) : IHiddenKernel
{
    /// <summary>Below this many elements one thread does everything (a parallel loop costs more than it saves).</summary>
    private const long ParallelFrom = 32_768;

    public unsafe HiddenState Forward(Tensor h, Tensor? gamma, Tensor? beta, double epsilon)
    {
        int c = (int)h.shape[0], n = (int)h.shape[1];
        var output = empty(c, n);
        float* y = TensorMemory.Floats(h), pOut = TensorMemory.Floats(output);
        if (gamma is null || beta is null)
        {
            ForEachRow(c, n, j => Relu(y + (long)j * n, n, pOut + (long)j * n));
            return new HiddenState(h, output, null, null, null);
        }

        var mean = empty(c);
        var variance = empty(c);
        var inverseStd = empty(c);
        float* pMean = TensorMemory.Floats(mean), pVar = TensorMemory.Floats(variance), pInv = TensorMemory.Floats(inverseStd),
            pGamma = TensorMemory.Floats(gamma), pBeta = TensorMemory.Floats(beta);
        float eps = (float)epsilon;
        ForEachRow(c, n, j =>
        {
            float* row = y + (long)j * n;
            float m = Sum(row, n) / n;
            float v = CentredSquares(row, n, m) / n;
            float r = 1f / MathF.Sqrt(v + eps);
            float scale = r * pGamma[j];
            pMean[j] = m;
            pVar[j] = v;
            pInv[j] = r;
            AffineRelu(row, n, scale, pBeta[j] - m * scale, pOut + (long)j * n);
        });
        return new HiddenState(h, output, mean, variance, inverseStd);
    }

    public unsafe (Tensor Input, Tensor? Gamma, Tensor? Beta) Backward(Tensor da, HiddenState state, Tensor? gamma)
    {
        var gradient = da.is_contiguous() ? da : da.contiguous();
        int c = (int)gradient.shape[0], n = (int)gradient.shape[1];
        var dh = empty(c, n);
        float* g = TensorMemory.Floats(gradient), a = TensorMemory.Floats(state.Output), pOut = TensorMemory.Floats(dh);
        if (gamma is null || state.Mean is null || state.InverseStd is null)
        {
            ForEachRow(c, n, j => ReluGradient(g + (long)j * n, a + (long)j * n, n, pOut + (long)j * n));
            return (Release(gradient, da, dh), null, null);
        }

        var dgamma = empty(c);
        var dbeta = empty(c);
        float* y = TensorMemory.Floats(state.PreActivation), pGamma = TensorMemory.Floats(gamma), pMean = TensorMemory.Floats(state.Mean),
            pInv = TensorMemory.Floats(state.InverseStd), pDgamma = TensorMemory.Floats(dgamma), pDbeta = TensorMemory.Floats(dbeta);
        float invN = 1f / n;
        ForEachRow(c, n, j =>
        {
            long offset = (long)j * n;
            float m = pMean[j], r = pInv[j];
            var (sum, centred) = GradientSums(y + offset, g + offset, a + offset, n, m);
            // du = da where a > 0; dbeta = Σ du; dgamma = invstd·Σ du·(h - mean);
            // dh = k·du + m1·h + m0 with k = gamma·invstd, m1 = -k·invstd·dgamma/n, m0 = -k·dbeta/n - m1·mean
            float dg = centred * r, k = pGamma[j] * r;
            float m1 = -(k * r * dg * invN);
            float m0 = -(k * sum * invN) - m1 * m;
            pDbeta[j] = sum;
            pDgamma[j] = dg;
            InputGradient(y + offset, g + offset, a + offset, n, k, m1, m0, pOut + offset);
        });
        return (Release(gradient, da, dh), dgamma, dbeta);
    }

    private void ForEachRow(int c, int n, Action<int> body)
    {
        int degree = (long)n * c < ParallelFrom ? 1 : Math.Min(c, Math.Max(1, threads()));
        if (degree == 1)
        {
            for (int j = 0; j < c; j++)
            {
                body(j);
            }

            return;
        }

        Parallel.For(0, c, new ParallelOptions { MaxDegreeOfParallelism = degree }, body);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Sum(float* x, int n)
    {
        int w = Vector<float>.Count, i = 0;
        Vector<float> a0 = default, a1 = default;
        for (; i + 2 * w <= n; i += 2 * w)
        {
            a0 += Load(x + i);
            a1 += Load(x + i + w);
        }

        float sum = Vector.Sum(a0 + a1);
        for (; i < n; i++)
        {
            sum += x[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float CentredSquares(float* x, int n, float mean)
    {
        int w = Vector<float>.Count, i = 0;
        var m = new Vector<float>(mean);
        Vector<float> a0 = default, a1 = default;
        for (; i + 2 * w <= n; i += 2 * w)
        {
            var d0 = Load(x + i) - m;
            var d1 = Load(x + i + w) - m;
            a0 += d0 * d0;
            a1 += d1 * d1;
        }

        float sum = Vector.Sum(a0 + a1);
        for (; i < n; i++)
        {
            float d = x[i] - mean;
            sum += d * d;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AffineRelu(float* x, int n, float scale, float shift, float* output)
    {
        int w = Vector<float>.Count, i = 0;
        var k = new Vector<float>(scale);
        var b = new Vector<float>(shift);
        for (; i + w <= n; i += w)
        {
            Store(output + i, Vector.Max(Load(x + i) * k + b, Vector<float>.Zero));
        }

        for (; i < n; i++)
        {
            output[i] = MathF.Max(x[i] * scale + shift, 0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Relu(float* x, int n, float* output)
    {
        int w = Vector<float>.Count, i = 0;
        for (; i + w <= n; i += w)
        {
            Store(output + i, Vector.Max(Load(x + i), Vector<float>.Zero));
        }

        for (; i < n; i++)
        {
            output[i] = MathF.Max(x[i], 0);
        }
    }

    /// <summary>Σ du and Σ du·(h - mean) with du = da where a &gt; 0 (ReLU).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe (float Sum, float Centred) GradientSums(float* y, float* g, float* a, int n, float mean)
    {
        int w = Vector<float>.Count, i = 0;
        var m = new Vector<float>(mean);
        var zero = Vector<float>.Zero;
        Vector<float> s = default, t = default;
        for (; i + w <= n; i += w)
        {
            var d = Vector.ConditionalSelect(Vector.GreaterThan(Load(a + i), zero), Load(g + i), zero);
            s += d;
            t += d * (Load(y + i) - m);
        }

        float sum = Vector.Sum(s), centred = Vector.Sum(t);
        for (; i < n; i++)
        {
            float d = a[i] > 0 ? g[i] : 0;
            sum += d;
            centred += d * (y[i] - mean);
        }

        return (sum, centred);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void InputGradient(float* y, float* g, float* a, int n, float k, float m1, float m0, float* dh)
    {
        int w = Vector<float>.Count, i = 0;
        Vector<float> kv = new(k), m1v = new(m1), m0v = new(m0), zero = Vector<float>.Zero;
        for (; i + w <= n; i += w)
        {
            var d = Vector.ConditionalSelect(Vector.GreaterThan(Load(a + i), zero), Load(g + i), zero);
            Store(dh + i, kv * d + m1v * Load(y + i) + m0v);
        }

        for (; i < n; i++)
        {
            dh[i] = k * (a[i] > 0 ? g[i] : 0) + m1 * y[i] + m0;
        }
    }

    /// <summary>dh = da where a &gt; 0, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ReluGradient(float* g, float* a, int n, float* dh)
    {
        int w = Vector<float>.Count, i = 0;
        var zero = Vector<float>.Zero;
        for (; i + w <= n; i += w)
        {
            Store(dh + i, Vector.ConditionalSelect(Vector.GreaterThan(Load(a + i), zero), Load(g + i), zero));
        }

        for (; i < n; i++)
        {
            dh[i] = a[i] > 0 ? g[i] : 0;
        }
    }

    private static Tensor Release(Tensor copy, Tensor original, Tensor result)
    {
        if (!ReferenceEquals(copy, original))
        {
            copy.Dispose();
        }

        return result;
    }

    private static unsafe Vector<float> Load(float* source) => *(Vector<float>*)source;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Store(float* target, Vector<float> value) => *(Vector<float>*)target = value;
}
