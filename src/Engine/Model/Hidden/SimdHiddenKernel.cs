using System.Numerics;
using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Model.Hidden;

/// <summary>
/// The hidden layer's non-linear part on the CPU with the engine's own SIMD loops over [N, C] row-major activations,
/// BatchNorm and ReLU fused: the forward pass reads h three times (sums, centred squares, output), the backward pass
/// twice. Column sums are taken over fixed chunks of <see cref="ChunkRows"/> rows, each into its own row of partial sums,
/// and the partial sums are added in chunk order; rows stream through memory in order, and the bits are the same
/// whatever the number of threads (<paramref name="threads"/>, read at each call) that take the chunks.
/// </summary>
public sealed class SimdHiddenKernel(Func<int> threads) : IHiddenKernel
{
    /// <summary>Rows per chunk: a fixed constant, never derived from the thread count.</summary>
    public const int ChunkRows = 64;

    /// <summary>Below this many elements one thread does everything (a parallel loop costs more than it saves).</summary>
    private const long ParallelFrom = 32_768;

    public unsafe HiddenState Forward(Tensor h, Tensor? gamma, Tensor? beta, double epsilon)
    {
        if (gamma is null || beta is null)
        {
            return new HiddenState(h, nn.functional.relu(h), null, null, null);
        }

        int n = (int)h.shape[0], c = (int)h.shape[1];
        var mean = empty(c);
        var variance = empty(c);
        var inverseStd = empty(c);
        var output = empty(n, c);
        float* y = TensorMemory.Floats(h), pMean = TensorMemory.Floats(mean), pVar = TensorMemory.Floats(variance),
            pInv = TensorMemory.Floats(inverseStd), pOut = TensorMemory.Floats(output), pGamma = TensorMemory.Floats(gamma), pBeta = TensorMemory.Floats(beta);
        int chunks = Chunks(n);
        var partial = new float[chunks * c];
        float invN = 1f / n;
        fixed (float* p = partial)
        {
            float* partials = p;
            ForEachChunk(n, c, chunk => ColumnSums(y, c, chunk, n, partials + (long)chunk * c));
            AddChunks(partials, chunks, c, pMean, invN);
            ForEachChunk(n, c, chunk => CentredSquares(y, c, chunk, n, pMean, partials + (long)chunk * c));
            AddChunks(partials, chunks, c, pVar, invN);
        }

        // a = max(h·scale + shift, 0) with scale = invstd·gamma, shift = beta - mean·scale
        var scale = new float[c];
        var shift = new float[c];
        for (int j = 0; j < c; j++)
        {
            pInv[j] = 1f / MathF.Sqrt(pVar[j] + (float)epsilon);
            scale[j] = pInv[j] * pGamma[j];
            shift[j] = pBeta[j] - pMean[j] * scale[j];
        }

        fixed (float* s = scale, t = shift)
        {
            float* pScale = s, pShift = t;
            ForEachChunk(n, c, chunk => AffineRelu(y, c, chunk, n, pScale, pShift, pOut));
        }

        return new HiddenState(h, output, mean, variance, inverseStd);
    }

    public unsafe (Tensor Input, Tensor? Gamma, Tensor? Beta) Backward(Tensor da, HiddenState state, Tensor? gamma)
    {
        var gradient = da.is_contiguous() ? da : da.contiguous();
        int n = (int)gradient.shape[0], c = (int)gradient.shape[1];
        var dh = empty(n, c);
        float* g = TensorMemory.Floats(gradient), a = TensorMemory.Floats(state.Output), pOut = TensorMemory.Floats(dh);
        if (gamma is null || state.Mean is null || state.InverseStd is null)
        {
            ForEachChunk(n, c, chunk => ReluGradient(g, a, c, chunk, n, pOut));
            return (DisposeCopy(gradient, da, dh), null, null);
        }

        var dgamma = empty(c);
        var dbeta = empty(c);
        float* y = TensorMemory.Floats(state.PreActivation), pGamma = TensorMemory.Floats(gamma), pMean = TensorMemory.Floats(state.Mean),
            pInv = TensorMemory.Floats(state.InverseStd), pDgamma = TensorMemory.Floats(dgamma), pDbeta = TensorMemory.Floats(dbeta);
        int chunks = Chunks(n);
        var partialSums = new float[chunks * c];
        var partialCentred = new float[chunks * c];
        fixed (float* ps = partialSums, pc = partialCentred)
        {
            float* sums = ps, centred = pc;
            ForEachChunk(n, c, chunk => GradientSums(y, g, a, c, chunk, n, pMean, sums + (long)chunk * c, centred + (long)chunk * c));
            AddChunks(sums, chunks, c, pDbeta, 1f);
            AddChunks(centred, chunks, c, pDgamma, 1f);
        }

        // dh = k·du + m1·h + m0 with du = da where a > 0, k = gamma·invstd, m1 = -k·invstd·dgamma/n, m0 = -k·dbeta/n - m1·mean
        var k = new float[c];
        var m1 = new float[c];
        var m0 = new float[c];
        float invN = 1f / n;
        for (int j = 0; j < c; j++)
        {
            pDgamma[j] *= pInv[j];
            k[j] = pGamma[j] * pInv[j];
            m1[j] = -(k[j] * pInv[j] * pDgamma[j] * invN);
            m0[j] = -(k[j] * pDbeta[j] * invN) - m1[j] * pMean[j];
        }

        fixed (float* pk = k, pm1 = m1, pm0 = m0)
        {
            float* kk = pk, mm1 = pm1, mm0 = pm0;
            ForEachChunk(n, c, chunk => InputGradient(y, g, a, c, chunk, n, kk, mm1, mm0, pOut));
        }

        return (DisposeCopy(gradient, da, dh), dgamma, dbeta);
    }

    private static int Chunks(int n) => (n + ChunkRows - 1) / ChunkRows;

    private void ForEachChunk(int n, int c, Action<int> body)
    {
        int chunks = Chunks(n);
        int degree = (long)n * c < ParallelFrom ? 1 : Math.Min(chunks, Math.Max(1, threads()));
        if (degree == 1)
        {
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                body(chunk);
            }

            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = degree }, body);
    }

    /// <summary>target[j] = scale · Σ_chunks partial[chunk, j], the chunks added in order.</summary>
    private static unsafe void AddChunks(float* partial, int chunks, int c, float* target, float scale)
    {
        int w = Vector<float>.Count, vectorEnd = c / w * w;
        var factor = new Vector<float>(scale);
        int j = 0;
        for (; j < vectorEnd; j += w)
        {
            var sum = Load(partial + j);
            for (int chunk = 1; chunk < chunks; chunk++)
            {
                sum += Load(partial + (long)chunk * c + j);
            }

            Store(target + j, sum * factor);
        }

        for (; j < c; j++)
        {
            float sum = partial[j];
            for (int chunk = 1; chunk < chunks; chunk++)
            {
                sum += partial[(long)chunk * c + j];
            }

            target[j] = sum * scale;
        }
    }

    private static unsafe void ColumnSums(float* y, int c, int chunk, int n, float* sums)
    {
        new Span<float>(sums, c).Clear();
        int w = Vector<float>.Count, vectorEnd = c / w * w;
        for (long row = First(chunk), end = End(chunk, n); row < end; row++)
        {
            float* x = y + row * c;
            int j = 0;
            for (; j < vectorEnd; j += w)
            {
                Store(sums + j, Load(sums + j) + Load(x + j));
            }

            for (; j < c; j++)
            {
                sums[j] += x[j];
            }
        }
    }

    private static unsafe void CentredSquares(float* y, int c, int chunk, int n, float* mean, float* sums)
    {
        new Span<float>(sums, c).Clear();
        int w = Vector<float>.Count, vectorEnd = c / w * w;
        for (long row = First(chunk), end = End(chunk, n); row < end; row++)
        {
            float* x = y + row * c;
            int j = 0;
            for (; j < vectorEnd; j += w)
            {
                var d = Load(x + j) - Load(mean + j);
                Store(sums + j, Load(sums + j) + d * d);
            }

            for (; j < c; j++)
            {
                float d = x[j] - mean[j];
                sums[j] += d * d;
            }
        }
    }

    private static unsafe void AffineRelu(float* y, int c, int chunk, int n, float* scale, float* shift, float* output)
    {
        int w = Vector<float>.Count, vectorEnd = c / w * w;
        var zero = Vector<float>.Zero;
        for (long row = First(chunk), end = End(chunk, n); row < end; row++)
        {
            float* x = y + row * c, o = output + row * c;
            int j = 0;
            for (; j < vectorEnd; j += w)
            {
                Store(o + j, Vector.Max(Load(x + j) * Load(scale + j) + Load(shift + j), zero));
            }

            for (; j < c; j++)
            {
                o[j] = MathF.Max(x[j] * scale[j] + shift[j], 0);
            }
        }
    }

    /// <summary>Σ du and Σ du·(h - mean) over the chunk's rows, du = da where a &gt; 0 (ReLU).</summary>
    private static unsafe void GradientSums(float* y, float* g, float* a, int c, int chunk, int n, float* mean, float* sums, float* centred)
    {
        new Span<float>(sums, c).Clear();
        new Span<float>(centred, c).Clear();
        int w = Vector<float>.Count, vectorEnd = c / w * w;
        var zero = Vector<float>.Zero;
        for (long row = First(chunk), end = End(chunk, n); row < end; row++)
        {
            float* x = y + row * c, grad = g + row * c, act = a + row * c;
            int j = 0;
            for (; j < vectorEnd; j += w)
            {
                var d = Vector.ConditionalSelect(Vector.GreaterThan(Load(act + j), zero), Load(grad + j), zero);
                Store(sums + j, Load(sums + j) + d);
                Store(centred + j, Load(centred + j) + d * (Load(x + j) - Load(mean + j)));
            }

            for (; j < c; j++)
            {
                float d = act[j] > 0 ? grad[j] : 0;
                sums[j] += d;
                centred[j] += d * (x[j] - mean[j]);
            }
        }
    }

    private static unsafe void InputGradient(float* y, float* g, float* a, int c, int chunk, int n, float* k, float* m1, float* m0, float* dh)
    {
        int w = Vector<float>.Count, vectorEnd = c / w * w;
        var zero = Vector<float>.Zero;
        for (long row = First(chunk), end = End(chunk, n); row < end; row++)
        {
            float* x = y + row * c, grad = g + row * c, act = a + row * c, o = dh + row * c;
            int j = 0;
            for (; j < vectorEnd; j += w)
            {
                var d = Vector.ConditionalSelect(Vector.GreaterThan(Load(act + j), zero), Load(grad + j), zero);
                Store(o + j, Load(k + j) * d + Load(m1 + j) * Load(x + j) + Load(m0 + j));
            }

            for (; j < c; j++)
            {
                o[j] = k[j] * (act[j] > 0 ? grad[j] : 0) + m1[j] * x[j] + m0[j];
            }
        }
    }

    /// <summary>dh = da where a &gt; 0, else 0.</summary>
    private static unsafe void ReluGradient(float* g, float* a, int c, int chunk, int n, float* dh)
    {
        int w = Vector<float>.Count, vectorEnd = c / w * w;
        var zero = Vector<float>.Zero;
        for (long row = First(chunk), end = End(chunk, n); row < end; row++)
        {
            float* grad = g + row * c, act = a + row * c, o = dh + row * c;
            int j = 0;
            for (; j < vectorEnd; j += w)
            {
                Store(o + j, Vector.ConditionalSelect(Vector.GreaterThan(Load(act + j), zero), Load(grad + j), zero));
            }

            for (; j < c; j++)
            {
                o[j] = act[j] > 0 ? grad[j] : 0;
            }
        }
    }

    private static long First(int chunk) => (long)chunk * ChunkRows;

    private static long End(int chunk, int n) => Math.Min(n, ((long)chunk + 1) * ChunkRows);

    private static Tensor DisposeCopy(Tensor copy, Tensor original, Tensor result)
    {
        if (!ReferenceEquals(copy, original))
        {
            copy.Dispose();
        }

        return result;
    }

    private static unsafe Vector<float> Load(float* source) => *(Vector<float>*)source;

    private static unsafe void Store(float* target, Vector<float> value) => *(Vector<float>*)target = value;
}
