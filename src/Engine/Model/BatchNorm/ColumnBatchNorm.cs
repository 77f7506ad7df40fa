using System.Numerics;
using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Model.BatchNorm;

/// <summary>
/// BatchNorm on the CPU with the engine's own SIMD loops over [N, C] row-major activations. Work is split into blocks of
/// columns, and every column is reduced over the batch in row order by one thread, so the result is the same bits
/// whatever the number of threads (<paramref name="threads"/>, read at each call). Two passes for the statistics (mean,
/// then centred squares), one for the output; two for the backward pass.
/// </summary>
public sealed class ColumnBatchNorm(Func<int> threads) : IBatchNormKernel
{
    private const int Block = 64;

    /// <summary>Below this many elements one thread does everything (a parallel loop costs more than it saves).</summary>
    private const long ParallelFrom = 32_768;

    public unsafe (Tensor Output, BatchNormStatistics Statistics) Forward(Tensor h, Tensor gamma, Tensor beta, double epsilon)
    {
        var input = h.contiguous();
        int n = (int)input.shape[0], c = (int)input.shape[1];
        var mean = empty(c);
        var variance = empty(c);
        var inverseStd = empty(c);
        var output = empty_like(input);
        float* y = TensorMemory.Floats(input), pMean = TensorMemory.Floats(mean), pVar = TensorMemory.Floats(variance),
            pInv = TensorMemory.Floats(inverseStd), pOut = TensorMemory.Floats(output), pGamma = TensorMemory.Floats(gamma), pBeta = TensorMemory.Floats(beta);
        float eps = (float)epsilon;
        ForEachBlock(n, c, (c0, c1) =>
        {
            ColumnMeans(y, n, c, c0, c1, pMean);
            ColumnCentredSquares(y, n, c, c0, c1, pMean, pVar);
            Span<float> scale = stackalloc float[Block];
            Span<float> shift = stackalloc float[Block];
            for (int j = c0; j < c1; j++)
            {
                pInv[j] = 1f / MathF.Sqrt(pVar[j] + eps);
                scale[j - c0] = pInv[j] * pGamma[j];
                shift[j - c0] = pBeta[j] - pMean[j] * scale[j - c0];
            }

            fixed (float* s = scale, t = shift)
            {
                AffineRows(y, null, n, c, c0, c1, s, null, t, pOut);
            }
        });
        if (!ReferenceEquals(input, h))
        {
            input.Dispose();
        }

        return (output, new BatchNormStatistics(mean, variance, inverseStd));
    }

    public unsafe (Tensor Input, Tensor Gamma, Tensor Beta) Backward(Tensor du, Tensor h, Tensor gamma, BatchNormStatistics statistics)
    {
        var gradient = du.contiguous();
        var input = h.contiguous();
        int n = (int)input.shape[0], c = (int)input.shape[1];
        var dh = empty_like(input);
        var dgamma = empty(c);
        var dbeta = empty(c);
        float* y = TensorMemory.Floats(input), g = TensorMemory.Floats(gradient), pOut = TensorMemory.Floats(dh),
            pGamma = TensorMemory.Floats(gamma), pMean = TensorMemory.Floats(statistics.Mean), pInv = TensorMemory.Floats(statistics.InverseStd),
            pDgamma = TensorMemory.Floats(dgamma), pDbeta = TensorMemory.Floats(dbeta);
        float invN = 1f / n;
        ForEachBlock(n, c, (c0, c1) =>
        {
            GradientSums(y, g, n, c, c0, c1, pMean, pDbeta, pDgamma);
            // dh = k·du + m1·h + m0 with k = gamma·invstd, m1 = -k·invstd·dgamma/n, m0 = -k·dbeta/n - m1·mean
            Span<float> k = stackalloc float[Block];
            Span<float> m1 = stackalloc float[Block];
            Span<float> m0 = stackalloc float[Block];
            for (int j = c0; j < c1; j++)
            {
                pDgamma[j] *= pInv[j];
                float kj = pGamma[j] * pInv[j];
                float m1j = -kj * pInv[j] * pDgamma[j] * invN;
                k[j - c0] = kj;
                m1[j - c0] = m1j;
                m0[j - c0] = -kj * pDbeta[j] * invN - m1j * pMean[j];
            }

            fixed (float* pk = k, pm1 = m1, pm0 = m0)
            {
                AffineRows(y, g, n, c, c0, c1, pm1, pk, pm0, pOut);
            }
        });
        DisposeCopy(gradient, du);
        DisposeCopy(input, h);
        return (dh, dgamma, dbeta);
    }

    private void ForEachBlock(int n, int c, Action<int, int> body)
    {
        int blocks = (c + Block - 1) / Block;
        int degree = (long)n * c < ParallelFrom ? 1 : Math.Min(blocks, Math.Max(1, threads()));
        if (degree == 1)
        {
            for (int b = 0; b < blocks; b++)
            {
                body(b * Block, Math.Min(c, (b + 1) * Block));
            }

            return;
        }

        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = degree }, b => body(b * Block, Math.Min(c, (b + 1) * Block)));
    }

    private static unsafe void ColumnMeans(float* y, int n, int c, int c0, int c1, float* mean)
    {
        Span<float> sum = stackalloc float[Block];
        sum.Clear();
        fixed (float* s = sum)
        {
            for (int i = 0; i < n; i++)
            {
                AddRow(y + (long)i * c, c0, c1, s);
            }
        }

        for (int j = c0; j < c1; j++)
        {
            mean[j] = sum[j - c0] / n;
        }
    }

    private static unsafe void ColumnCentredSquares(float* y, int n, int c, int c0, int c1, float* mean, float* variance)
    {
        Span<float> sum = stackalloc float[Block];
        sum.Clear();
        int width = Vector<float>.Count, vectorEnd = c0 + (c1 - c0) / width * width;
        fixed (float* s = sum)
        {
            for (int i = 0; i < n; i++)
            {
                float* row = y + (long)i * c;
                int j = c0;
                for (; j < vectorEnd; j += width)
                {
                    var d = Load(row + j) - Load(mean + j);
                    Store(s + j - c0, Load(s + j - c0) + d * d);
                }

                for (; j < c1; j++)
                {
                    float d = row[j] - mean[j];
                    s[j - c0] += d * d;
                }
            }
        }

        for (int j = c0; j < c1; j++)
        {
            variance[j] = sum[j - c0] / n;
        }
    }

    /// <summary>Σ du and Σ du·(h - mean) per column (the caller scales the second by invstd).</summary>
    private static unsafe void GradientSums(float* y, float* g, int n, int c, int c0, int c1, float* mean, float* sumGradient, float* sumGradientCentred)
    {
        Span<float> a = stackalloc float[Block];
        Span<float> b = stackalloc float[Block];
        a.Clear();
        b.Clear();
        int width = Vector<float>.Count, vectorEnd = c0 + (c1 - c0) / width * width;
        fixed (float* pa = a, pb = b)
        {
            for (int i = 0; i < n; i++)
            {
                float* row = y + (long)i * c, grad = g + (long)i * c;
                int j = c0;
                for (; j < vectorEnd; j += width)
                {
                    var gv = Load(grad + j);
                    Store(pa + j - c0, Load(pa + j - c0) + gv);
                    Store(pb + j - c0, Load(pb + j - c0) + gv * (Load(row + j) - Load(mean + j)));
                }

                for (; j < c1; j++)
                {
                    pa[j - c0] += grad[j];
                    pb[j - c0] += grad[j] * (row[j] - mean[j]);
                }
            }
        }

        for (int j = c0; j < c1; j++)
        {
            sumGradient[j] = a[j - c0];
            sumGradientCentred[j] = b[j - c0];
        }
    }

    private static unsafe void AddRow(float* row, int c0, int c1, float* sum)
    {
        int width = Vector<float>.Count, vectorEnd = c0 + (c1 - c0) / width * width;
        int j = c0;
        for (; j < vectorEnd; j += width)
        {
            Store(sum + j - c0, Load(sum + j - c0) + Load(row + j));
        }

        for (; j < c1; j++)
        {
            sum[j - c0] += row[j];
        }
    }

    /// <summary>out = a·x + b·z + d per column of the block (z and b optional), row by row.</summary>
    private static unsafe void AffineRows(float* x, float* z, int n, int c, int c0, int c1, float* a, float* b, float* d, float* output)
    {
        int width = Vector<float>.Count, vectorEnd = c0 + (c1 - c0) / width * width;
        for (int i = 0; i < n; i++)
        {
            float* row = x + (long)i * c, other = z is null ? null : z + (long)i * c, o = output + (long)i * c;
            int j = c0;
            if (other is null)
            {
                for (; j < vectorEnd; j += width)
                {
                    Store(o + j, Load(row + j) * Load(a + j - c0) + Load(d + j - c0));
                }

                for (; j < c1; j++)
                {
                    o[j] = row[j] * a[j - c0] + d[j - c0];
                }
            }
            else
            {
                for (; j < vectorEnd; j += width)
                {
                    Store(o + j, Load(row + j) * Load(a + j - c0) + Load(other + j) * Load(b + j - c0) + Load(d + j - c0));
                }

                for (; j < c1; j++)
                {
                    o[j] = row[j] * a[j - c0] + other[j] * b[j - c0] + d[j - c0];
                }
            }
        }
    }

    private static unsafe Vector<float> Load(float* source) => *(Vector<float>*)source;

    private static unsafe void Store(float* target, Vector<float> value) => *(Vector<float>*)target = value;

    private static void DisposeCopy(Tensor copy, Tensor original)
    {
        if (!ReferenceEquals(copy, original))
        {
            copy.Dispose();
        }
    }
}
