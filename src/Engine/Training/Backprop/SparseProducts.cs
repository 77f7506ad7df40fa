using System.Numerics;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// The engine's SIMD loops for sparse-times-dense products on feature-major matrices (rows of N batch values):
/// <see cref="Combine"/> makes each target row a weighted sum of a few source rows (the forward product with CSR, the
/// input gradient with CSC), <see cref="Dots"/> takes the dot product of row pairs (the weight gradient, only at the
/// unpruned weights). Every output value is computed by one thread in a fixed order, and work is split between threads
/// only by whole batch chunks or whole rows, so the bits do not depend on the thread count.
/// </summary>
public static unsafe class SparseProducts
{
    /// <summary>Batch values per chunk: four vectors, whose accumulators stay in registers.</summary>
    public static int Chunk => 4 * Vector<float>.Count;

    /// <summary>
    /// target[r, :] = bias[r] + Σ_{e in starts[r]..starts[r+1]} coefficients[e] · source[sourceRows[e], :] for every
    /// target row r, over N batch values (bias optional: zero).
    /// </summary>
    public static void Combine(int targetRows, int n, int[] starts, int[] sourceRows, float* coefficients, float* source, float* bias, float* target, int threads)
    {
        int chunks = (n + Chunk - 1) / Chunk;
        Parallelise(chunks, threads, (long)starts[targetRows] * n, chunk =>
        {
            int first = chunk * Chunk, width = Math.Min(Chunk, n - first);
            fixed (int* pStarts = starts, pRows = sourceRows)
            {
                for (int r = 0; r < targetRows; r++)
                {
                    CombineChunk(pStarts[r], pStarts[r + 1], pRows, coefficients, source + first, n, bias is null ? 0 : bias[r], target + (long)r * n + first, width);
                }
            }
        });
    }

    /// <summary>results[k] = Σ_n left[leftRow(k), n] · right[rightRows[k], n] for the entries k of each left row
    /// (entries of left row j are starts[j]..starts[j+1]-1).</summary>
    public static void Dots(int leftRows, int n, int[] starts, int[] rightRows, float* left, float* right, float* results, int threads)
    {
        const int rowsPerTask = 16;
        int tasks = (leftRows + rowsPerTask - 1) / rowsPerTask;
        Parallelise(tasks, threads, (long)starts[leftRows] * n, task =>
        {
            fixed (int* pStarts = starts, pRows = rightRows)
            {
                for (int j = task * rowsPerTask, end = Math.Min(leftRows, (task + 1) * rowsPerTask); j < end; j++)
                {
                    float* l = left + (long)j * n;
                    for (int k = pStarts[j]; k < pStarts[j + 1]; k++)
                    {
                        results[k] = Dot(l, right + (long)pRows[k] * n, n);
                    }
                }
            }
        });
    }

    private static void CombineChunk(int from, int to, int* sourceRows, float* coefficients, float* source, int n, float bias, float* target, int width)
    {
        int w = Vector<float>.Count;
        if (width == Chunk)
        {
            var b = new Vector<float>(bias);
            Vector<float> a0 = b, a1 = b, a2 = b, a3 = b;
            for (int e = from; e < to; e++)
            {
                var c = new Vector<float>(coefficients[e]);
                float* s = source + (long)sourceRows[e] * n;
                a0 += c * Load(s);
                a1 += c * Load(s + w);
                a2 += c * Load(s + 2 * w);
                a3 += c * Load(s + 3 * w);
            }

            Store(target, a0);
            Store(target + w, a1);
            Store(target + 2 * w, a2);
            Store(target + 3 * w, a3);
            return;
        }

        int v = 0;
        for (; v + w <= width; v += w)
        {
            var a = new Vector<float>(bias);
            for (int e = from; e < to; e++)
            {
                a += new Vector<float>(coefficients[e]) * Load(source + (long)sourceRows[e] * n + v);
            }

            Store(target + v, a);
        }

        for (; v < width; v++)
        {
            float a = bias;
            for (int e = from; e < to; e++)
            {
                a += coefficients[e] * source[(long)sourceRows[e] * n + v];
            }

            target[v] = a;
        }
    }

    private static float Dot(float* x, float* y, int n)
    {
        int w = Vector<float>.Count, i = 0;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            a0 += Load(x + i) * Load(y + i);
            a1 += Load(x + i + w) * Load(y + i + w);
            a2 += Load(x + i + 2 * w) * Load(y + i + 2 * w);
            a3 += Load(x + i + 3 * w) * Load(y + i + 3 * w);
        }

        for (; i + w <= n; i += w)
        {
            a0 += Load(x + i) * Load(y + i);
        }

        float sum = Vector.Sum((a0 + a1) + (a2 + a3));
        for (; i < n; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>Runs the tasks on up to <paramref name="threads"/> threads when there is enough work (a parallel loop costs
    /// a few microseconds), else in order on this thread.</summary>
    private static void Parallelise(int tasks, int threads, long work, Action<int> task)
    {
        if (threads <= 1 || tasks <= 1 || work < 65_536)
        {
            for (int t = 0; t < tasks; t++)
            {
                task(t);
            }

            return;
        }

        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads }, task);
    }

    private static Vector<float> Load(float* source) => *(Vector<float>*)source;

    private static void Store(float* target, Vector<float> value) => *(Vector<float>*)target = value;
}
