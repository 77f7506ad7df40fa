using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Grid.Engine.Training.Backprop;

namespace Grid.Bench;

/// <summary>
/// Layouts and loop orders for the sparse kernel's products that were measured against <see cref="SparseProducts"/>
/// and not taken (<see cref="SparsePartsBenchmark"/> prints the figures): source rows blocked so that a block of the
/// packed chunk stays in the L1 cache, the source read in place from padded rows instead of packed, and dot products
/// over two chunks with 512-bit vectors. Same results as the engine's loops within float rounding, one thread per chunk
/// or block of rows like them. Need 512-bit vectors where noted (<see cref="Available"/>).
/// </summary>
public static unsafe class SparseAlternatives
{
    private static int Chunk => SparseProducts.Chunk;

    /// <summary>The 512-bit loops need a processor with 512-bit vectors and a chunk of four of them.</summary>
    public static bool Available => Vector512.IsHardwareAccelerated && Chunk == 4 * Vector512<float>.Count;

    /// <summary><see cref="SparseProducts.Combine"/> with the source rows in blocks of <paramref name="block"/>: each target
    /// chunk accumulates block by block (stored and reloaded between blocks), so the block's slice of the packed chunk
    /// stays in L1.</summary>
    public static void CombineBlocked(int targetRows, int n, int[] starts, int[] sourceRows, float* coefficients, PackedRows packed, int sources, float* bias, float* target, int threads, int block)
    {
        int chunks = (n + Chunk - 1) / Chunk;
        Parallel(chunks, threads, chunk =>
        {
            int first = chunk * Chunk, width = Math.Min(Chunk, n - first);
            float* slice = packed.Chunk(chunk);
            var cursors = new int[targetRows];
            Array.Copy(starts, cursors, targetRows);
            float* padded = stackalloc float[Chunk];
            fixed (int* pStarts = starts, pRows = sourceRows, pCursor = cursors)
            {
                for (int b0 = 0; b0 < sources; b0 += block)
                {
                    for (int r = 0; r < targetRows; r++)
                    {
                        int from = pCursor[r], to = NextBlock(from, pStarts[r + 1], pRows, b0 + block);
                        pCursor[r] = to;
                        float* output = width == Chunk ? target + (long)r * n + first : padded;
                        if (width < Chunk && b0 > 0)
                        {
                            new ReadOnlySpan<float>(target + (long)r * n + first, width).CopyTo(new Span<float>(padded, width));
                        }

                        CombineRow(from, to, pRows, coefficients, slice, Chunk, bias is null ? 0 : bias[r], output, accumulate: b0 > 0);
                        if (width < Chunk)
                        {
                            new ReadOnlySpan<float>(padded, width).CopyTo(new Span<float>(target + (long)r * n + first, width));
                        }
                    }
                }
            }
        });
    }

    /// <summary><see cref="SparseProducts.Dots"/> with the right rows in blocks of <paramref name="block"/> (see
    /// <see cref="CombineBlocked"/>); each left row's chunk is loaded again per block.</summary>
    public static void DotsBlocked(int leftRows, int n, int[] starts, int[] rightRows, float* left, PackedRows right, int sources, float* results, int threads, int block) =>
        ForEachRowBlock(leftRows, starts, results, threads, (firstRow, endRow) =>
        {
            var cursors = new int[leftRows];
            float* padded = stackalloc float[Chunk];
            fixed (int* pStarts = starts, pRows = rightRows, pCursor = cursors)
            {
                for (int c = 0; c < (n + Chunk - 1) / Chunk; c++)
                {
                    float* slice = right.Chunk(c);
                    Array.Copy(starts, cursors, leftRows);
                    for (int b0 = 0; b0 < sources; b0 += block)
                    {
                        for (int j = firstRow; j < endRow; j++)
                        {
                            int from = pCursor[j], to = NextBlock(from, pStarts[j + 1], pRows, b0 + block);
                            pCursor[j] = to;
                            DotRow(from, to, pRows, LeftChunk(left, n, j, c, padded), slice, Chunk, results);
                        }
                    }
                }
            }
        });

    /// <summary><see cref="SparseProducts.Combine"/> reading the source [rows, stride] in place (rows padded to
    /// <paramref name="stride"/> ≥ N rounded up to a chunk), no packing.</summary>
    public static void CombineUnpacked(int targetRows, int n, int[] starts, int[] sourceRows, float* coefficients, float* source, int stride, float* bias, float* target, int threads)
    {
        int chunks = (n + Chunk - 1) / Chunk;
        Parallel(chunks, threads, chunk =>
        {
            int first = chunk * Chunk, width = Math.Min(Chunk, n - first);
            float* padded = stackalloc float[Chunk];
            fixed (int* pStarts = starts, pRows = sourceRows)
            {
                for (int r = 0; r < targetRows; r++)
                {
                    float* output = width == Chunk ? target + (long)r * n + first : padded;
                    CombineRow(pStarts[r], pStarts[r + 1], pRows, coefficients, source + first, stride, bias is null ? 0 : bias[r], output, accumulate: false);
                    if (width < Chunk)
                    {
                        new ReadOnlySpan<float>(padded, width).CopyTo(new Span<float>(target + (long)r * n + first, width));
                    }
                }
            }
        });
    }

    /// <summary><see cref="SparseProducts.Dots"/> reading the right rows in place (see <see cref="CombineUnpacked"/>).</summary>
    public static void DotsUnpacked(int leftRows, int n, int[] starts, int[] rightRows, float* left, float* right, int stride, float* results, int threads) =>
        ForEachRowBlock(leftRows, starts, results, threads, (firstRow, endRow) =>
        {
            float* padded = stackalloc float[Chunk];
            fixed (int* pStarts = starts, pRows = rightRows)
            {
                for (int c = 0; c < (n + Chunk - 1) / Chunk; c++)
                {
                    for (int j = firstRow; j < endRow; j++)
                    {
                        DotRow(pStarts[j], pStarts[j + 1], pRows, LeftChunk(left, n, j, c, padded), right + c * Chunk, stride, results);
                    }
                }
            }
        });

    /// <summary><see cref="SparseProducts.Dots"/> over two packed chunks at a time with 512-bit vectors: one horizontal sum
    /// per 128 products instead of per 64 (a last odd chunk as one).</summary>
    public static void DotsPaired(int leftRows, int n, int[] starts, int[] rightRows, float* left, PackedRows right, float* results, int threads) =>
        ForEachRowBlock(leftRows, starts, results, threads, (firstRow, endRow) =>
        {
            int chunks = (n + Chunk - 1) / Chunk;
            float* padded = stackalloc float[Chunk];
            float* padded2 = stackalloc float[Chunk];
            fixed (int* pStarts = starts, pRows = rightRows)
            {
                for (int c = 0; c < chunks; c += 2)
                {
                    for (int j = firstRow; j < endRow; j++)
                    {
                        if (c + 1 == chunks)
                        {
                            DotRow(pStarts[j], pStarts[j + 1], pRows, LeftChunk(left, n, j, c, padded), right.Chunk(c), Chunk, results);
                        }
                        else
                        {
                            DotPair(pStarts[j], pStarts[j + 1], pRows, LeftChunk(left, n, j, c, padded), LeftChunk(left, n, j, c + 1, padded2), right.Chunk(c), right.Chunk(c + 1), results);
                        }
                    }
                }
            }
        });

    /// <summary>One block of left rows per thread, as <see cref="SparseProducts.Dots"/>, the block's results cleared first.</summary>
    private static void ForEachRowBlock(int leftRows, int[] starts, float* results, int threads, Action<int, int> body)
    {
        int tasks = Math.Max(1, Math.Min(threads, leftRows)), rowsPerTask = (leftRows + tasks - 1) / tasks;
        Parallel(tasks, threads, task =>
        {
            int firstRow = Math.Min(leftRows, task * rowsPerTask), endRow = Math.Min(leftRows, firstRow + rowsPerTask);
            new Span<float>(results + starts[firstRow], starts[endRow] - starts[firstRow]).Clear();
            body(firstRow, endRow);
        });
    }

    /// <summary>Chunk <paramref name="chunk"/> of left row <paramref name="row"/> ([rows, N] row-major), copied to
    /// <paramref name="padded"/> with zeros past N when it is the last, partial one.</summary>
    private static float* LeftChunk(float* left, int n, int row, int chunk, float* padded)
    {
        int first = chunk * Chunk, width = Math.Min(Chunk, n - first);
        float* l = left + (long)row * n + first;
        if (width == Chunk)
        {
            return l;
        }

        new ReadOnlySpan<float>(l, width).CopyTo(new Span<float>(padded, Chunk));
        new Span<float>(padded + width, Chunk - width).Clear();
        return padded;
    }

    private static int NextBlock(int from, int end, int* rows, int blockEnd)
    {
        int to = from;
        while (to < end && rows[to] < blockEnd)
        {
            to++;
        }

        return to;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineRow(int from, int to, int* sourceRows, float* coefficients, float* slice, long stride, float bias, float* target, bool accumulate)
    {
        const int w = 16;
        Vector512<float> a0, a1, a2, a3;
        if (accumulate)
        {
            a0 = Vector512.Load(target);
            a1 = Vector512.Load(target + w);
            a2 = Vector512.Load(target + 2 * w);
            a3 = Vector512.Load(target + 3 * w);
        }
        else
        {
            a0 = a1 = a2 = a3 = Vector512.Create(bias);
        }

        Vector512<float> b0 = Vector512<float>.Zero, b1 = b0, b2 = b0, b3 = b0;
        int e = from;
        for (; e + 1 < to; e += 2)
        {
            var c = Vector512.Create(coefficients[e]);
            var d = Vector512.Create(coefficients[e + 1]);
            float* s = slice + sourceRows[e] * stride, t = slice + sourceRows[e + 1] * stride;
            a0 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s), a0);
            a1 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s + w), a1);
            a2 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s + 2 * w), a2);
            a3 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s + 3 * w), a3);
            b0 = Vector512.FusedMultiplyAdd(d, Vector512.Load(t), b0);
            b1 = Vector512.FusedMultiplyAdd(d, Vector512.Load(t + w), b1);
            b2 = Vector512.FusedMultiplyAdd(d, Vector512.Load(t + 2 * w), b2);
            b3 = Vector512.FusedMultiplyAdd(d, Vector512.Load(t + 3 * w), b3);
        }

        if (e < to)
        {
            var c = Vector512.Create(coefficients[e]);
            float* s = slice + sourceRows[e] * stride;
            a0 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s), a0);
            a1 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s + w), a1);
            a2 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s + 2 * w), a2);
            a3 = Vector512.FusedMultiplyAdd(c, Vector512.Load(s + 3 * w), a3);
        }

        (a0 + b0).Store(target);
        (a1 + b1).Store(target + w);
        (a2 + b2).Store(target + 2 * w);
        (a3 + b3).Store(target + 3 * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRow(int from, int to, int* rightRows, float* x, float* slice, long stride, float* results)
    {
        int w = Vector<float>.Count;
        var x0 = Load(x); var x1 = Load(x + w); var x2 = Load(x + 2 * w); var x3 = Load(x + 3 * w);
        var x4 = Load(x + 4 * w); var x5 = Load(x + 5 * w); var x6 = Load(x + 6 * w); var x7 = Load(x + 7 * w);
        for (int e = from; e < to; e++)
        {
            results[e] += Vector.Sum(SparseProducts.Partial(slice + rightRows[e] * stride, x0, x1, x2, x3, x4, x5, x6, x7));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotPair(int from, int to, int* rightRows, float* x, float* x2, float* slice, float* slice2, float* results)
    {
        const int w = 16;
        var p0 = Vector512.Load(x); var p1 = Vector512.Load(x + w); var p2 = Vector512.Load(x + 2 * w); var p3 = Vector512.Load(x + 3 * w);
        var q0 = Vector512.Load(x2); var q1 = Vector512.Load(x2 + w); var q2 = Vector512.Load(x2 + 2 * w); var q3 = Vector512.Load(x2 + 3 * w);
        for (int e = from; e < to; e++)
        {
            long offset = (long)rightRows[e] * Chunk;
            float* y = slice + offset, z = slice2 + offset;
            var a = Vector512.FusedMultiplyAdd(p2, Vector512.Load(y + 2 * w), p0 * Vector512.Load(y));
            var b = Vector512.FusedMultiplyAdd(p3, Vector512.Load(y + 3 * w), p1 * Vector512.Load(y + w));
            a = Vector512.FusedMultiplyAdd(q0, Vector512.Load(z), a);
            b = Vector512.FusedMultiplyAdd(q1, Vector512.Load(z + w), b);
            a = Vector512.FusedMultiplyAdd(q2, Vector512.Load(z + 2 * w), a);
            b = Vector512.FusedMultiplyAdd(q3, Vector512.Load(z + 3 * w), b);
            results[e] += Vector512.Sum(a + b);
        }
    }

    private static Vector<float> Load(float* source) => *(Vector<float>*)source;

    private static void Parallel(int tasks, int threads, Action<int> task)
    {
        if (threads <= 1 || tasks <= 1)
        {
            for (int t = 0; t < tasks; t++)
            {
                task(t);
            }

            return;
        }

        System.Threading.Tasks.Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads }, task);
    }
}
