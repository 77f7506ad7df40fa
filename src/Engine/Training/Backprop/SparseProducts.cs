using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Grid.Engine.Runtime;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// The engine's SIMD loops for sparse-times-dense products on feature-major matrices (rows of N batch values):
/// <see cref="Combine"/> makes each target row a weighted sum of a few source rows (the forward product with CSR, the
/// input gradient with CSC), <see cref="Dots"/> takes the dot product of row pairs (the weight gradient, only at the
/// unpruned weights). Every output value is computed by one thread in a fixed order, and work is split between threads
/// only by whole batch chunks or whole rows, so the bits do not depend on the thread count.
/// </summary>
public static unsafe partial class SparseProducts
{
    /// <summary>Batch values per chunk: eight vectors, whose accumulators stay in registers (eight independent fused
    /// multiply-add chains hide the instruction's latency).</summary>
    public static int Chunk => 8 * Vector<float>.Count;

    /// <summary>True where the dot products sum eight entries at a time (<see cref="SumEach"/>): 256-bit vectors.</summary>
    private static readonly bool GroupsOfEight = Avx.IsSupported && Vector<float>.Count == Vector256<float>.Count;

    /// <summary>
    /// target[r, :] = bias[r] + Σ_{e in starts[r]..starts[r+1]} coefficients[e] · source[sourceRows[e], :] for every
    /// target row r, over N batch values (bias optional: zero), the source given as <see cref="PackedRows"/>. When
    /// <paramref name="pack"/> is given, it packs each chunk of the source just before the chunk is combined.
    /// </summary>
    public static void Combine(int targetRows, int n, int[] starts, int[] sourceRows, float* coefficients, PackedRows packed, float* bias, float* target, int threads, Action<int>? pack = null)
    {
        int chunks = (n + Chunk - 1) / Chunk;
        ParallelWork.Run(chunks, threads, (long)starts[targetRows] * n, chunk =>
        {
            int first = chunk * Chunk, width = Math.Min(Chunk, n - first);
            float* slice = packed.Chunk(chunk);
            if (pack is null)
            {
                packed.PrefetchChunk(chunk);
            }
            else
            {
                pack(chunk);
            }

            Span<float> padded = stackalloc float[Chunk];
            fixed (int* pStarts = starts, pRows = sourceRows)
            fixed (float* pPadded = padded)
            {
                for (int r = 0; r < targetRows; r++)
                {
                    float* output = width == Chunk ? target + (long)r * n + first : pPadded;
                    if (Wide)
                    {
                        CombineChunkWide(pStarts[r], pStarts[r + 1], pRows, coefficients, slice, bias is null ? 0 : bias[r], output);
                    }
                    else
                    {
                        CombineChunk(pStarts[r], pStarts[r + 1], pRows, coefficients, slice, bias is null ? 0 : bias[r], output);
                    }
                    if (width < Chunk)
                    {
                        new ReadOnlySpan<float>(pPadded, width).CopyTo(new Span<float>(target + (long)r * n + first, width));
                    }
                }
            }
        });
    }

    /// <summary>results[k] = Σ_n left[j, n] · right[rightRows[k], n] for the entries k of each left row j (entries of
    /// left row j are starts[j]..starts[j+1]-1), both matrices packed. Chunk by chunk: the right chunk stays in cache
    /// while every left row takes its dots with it, each result summed over the chunks in order (a dot product row by row
    /// reads each right row from chunks far apart, four times slower here).</summary>
    public static void Dots(int leftRows, int n, int[] starts, int[] rightRows, PackedRows left, PackedRows right, float* results, int threads)
    {
        // One block of rows per thread: every block reads every right chunk once (how rows are grouped changes no bits).
        int tasks = Math.Max(1, Math.Min(threads, leftRows)), rowsPerTask = (leftRows + tasks - 1) / tasks, chunks = (n + Chunk - 1) / Chunk;
        ParallelWork.Run(tasks, threads, (long)starts[leftRows] * n, task =>
        {
            int firstRow = Math.Min(leftRows, task * rowsPerTask), endRow = Math.Min(leftRows, firstRow + rowsPerTask);
            new Span<float>(results + starts[firstRow], starts[endRow] - starts[firstRow]).Clear();
            fixed (int* pStarts = starts, pRows = rightRows)
            {
                for (int c = 0; c < chunks; c++)
                {
                    float* slice = right.Chunk(c), lefts = left.Chunk(c);
                    right.PrefetchChunk(c);
                    for (int j = firstRow; j < endRow; j++)
                    {
                        DotChunk(pStarts[j], pStarts[j + 1], pRows, lefts + (long)j * Chunk, slice, results);
                    }
                }
            }
        });
    }

    /// <summary>One chunk of one target row: bias + Σ coefficients[e] · slice[sourceRows[e]], the slice's rows
    /// <see cref="Chunk"/> values apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineChunk(int from, int to, int* sourceRows, float* coefficients, float* slice, float bias, float* target)
    {
        int w = Vector<float>.Count, stride = Chunk;
        var b = new Vector<float>(bias);
        Vector<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int e = from; e < to; e++)
        {
            var c = new Vector<float>(coefficients[e]);
            float* s = slice + (long)sourceRows[e] * stride;
            a0 = Vector.FusedMultiplyAdd(c, Load(s), a0);
            a1 = Vector.FusedMultiplyAdd(c, Load(s + w), a1);
            a2 = Vector.FusedMultiplyAdd(c, Load(s + 2 * w), a2);
            a3 = Vector.FusedMultiplyAdd(c, Load(s + 3 * w), a3);
            a4 = Vector.FusedMultiplyAdd(c, Load(s + 4 * w), a4);
            a5 = Vector.FusedMultiplyAdd(c, Load(s + 5 * w), a5);
            a6 = Vector.FusedMultiplyAdd(c, Load(s + 6 * w), a6);
            a7 = Vector.FusedMultiplyAdd(c, Load(s + 7 * w), a7);
        }

        Store(target, a0);
        Store(target + w, a1);
        Store(target + 2 * w, a2);
        Store(target + 3 * w, a3);
        Store(target + 4 * w, a4);
        Store(target + 5 * w, a5);
        Store(target + 6 * w, a6);
        Store(target + 7 * w, a7);
    }

    /// <summary>results[e] += Σ over one chunk of x · slice[rightRows[e]] for the entries e of one left row, whose chunk
    /// <paramref name="x"/> stays in registers. Each entry's eight partial sums are added as <see cref="Vector.Sum"/>
    /// adds them; where the processor has 256-bit vectors, eight entries at a time in one tree of horizontal adds
    /// (<see cref="SumEach"/>, the same additions in the same order, so the same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotChunk(int from, int to, int* rightRows, float* x, float* slice, float* results)
    {
        int w = Vector<float>.Count;
        Vector<float> x0 = Load(x), x1 = Load(x + w), x2 = Load(x + 2 * w), x3 = Load(x + 3 * w);
        Vector<float> x4 = Load(x + 4 * w), x5 = Load(x + 5 * w), x6 = Load(x + 6 * w), x7 = Load(x + 7 * w);
        int e = from;
        if (GroupsOfEight)
        {
            for (; e + 8 <= to; e += 8)
            {
                var sums = SumEach(
                    Partial(slice + (long)rightRows[e] * Chunk, x0, x1, x2, x3, x4, x5, x6, x7).AsVector256(),
                    Partial(slice + (long)rightRows[e + 1] * Chunk, x0, x1, x2, x3, x4, x5, x6, x7).AsVector256(),
                    Partial(slice + (long)rightRows[e + 2] * Chunk, x0, x1, x2, x3, x4, x5, x6, x7).AsVector256(),
                    Partial(slice + (long)rightRows[e + 3] * Chunk, x0, x1, x2, x3, x4, x5, x6, x7).AsVector256(),
                    Partial(slice + (long)rightRows[e + 4] * Chunk, x0, x1, x2, x3, x4, x5, x6, x7).AsVector256(),
                    Partial(slice + (long)rightRows[e + 5] * Chunk, x0, x1, x2, x3, x4, x5, x6, x7).AsVector256(),
                    Partial(slice + (long)rightRows[e + 6] * Chunk, x0, x1, x2, x3, x4, x5, x6, x7).AsVector256(),
                    Partial(slice + (long)rightRows[e + 7] * Chunk, x0, x1, x2, x3, x4, x5, x6, x7).AsVector256());
                Avx.Store(results + e, Avx.Add(Avx.LoadVector256(results + e), sums));
            }
        }

        for (; e < to; e++)
        {
            results[e] += Vector.Sum(Partial(slice + (long)rightRows[e] * Chunk, x0, x1, x2, x3, x4, x5, x6, x7));
        }
    }

    /// <summary>Eight lanes whose sum is one chunk's dot product of x (in registers) with row y (also what the
    /// benchmarks' alternative walks sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Partial(float* y, Vector<float> x0, Vector<float> x1, Vector<float> x2, Vector<float> x3, Vector<float> x4, Vector<float> x5, Vector<float> x6, Vector<float> x7)
    {
        int w = Vector<float>.Count;
        var a = Vector.FusedMultiplyAdd(x2, Load(y + 2 * w), x0 * Load(y));
        var b = Vector.FusedMultiplyAdd(x3, Load(y + 3 * w), x1 * Load(y + w));
        a = Vector.FusedMultiplyAdd(x4, Load(y + 4 * w), a);
        b = Vector.FusedMultiplyAdd(x5, Load(y + 5 * w), b);
        a = Vector.FusedMultiplyAdd(x6, Load(y + 6 * w), a);
        b = Vector.FusedMultiplyAdd(x7, Load(y + 7 * w), b);
        return a + b;
    }

    /// <summary>Eight entries' partial sums summed each, as <see cref="Vector256.Sum{T}"/> sums one vector: lanes
    /// ((0+1)+(2+3)) + ((4+5)+(6+7)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SumEach(Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3, Vector256<float> v4, Vector256<float> v5, Vector256<float> v6, Vector256<float> v7)
    {
        // Per 128-bit half, entry by entry: (0+1), (2+3), then their sum; the halves of entries 0-3 and 4-7 last.
        var low = Avx.HorizontalAdd(Avx.HorizontalAdd(v0, v1), Avx.HorizontalAdd(v2, v3));
        var high = Avx.HorizontalAdd(Avx.HorizontalAdd(v4, v5), Avx.HorizontalAdd(v6, v7));
        return Avx.Add(Avx.Permute2x128(low, high, 0x20), Avx.Permute2x128(low, high, 0x31));
    }

    private static Vector<float> Load(float* source) => *(Vector<float>*)source;

    private static void Store(float* target, Vector<float> value) => *(Vector<float>*)target = value;
}
