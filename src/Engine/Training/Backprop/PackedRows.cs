using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Grid.Engine.Numerics;
using Grid.Engine.Runtime;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// A [rows, N] matrix copied chunk by chunk: chunk c holds every row's batch values c·<see cref="SparseProducts.Chunk"/>
/// onwards, rows <see cref="SparseProducts.Chunk"/> floats apart, zeros past N. Native, 64-byte aligned memory, kept
/// between steps and grown when needed.
/// </summary>
public sealed unsafe class PackedRows : IDisposable
{
    private float* _memory;
    private long _capacity;
    private long _chunkSize;

    /// <summary>The packed rows of chunk <paramref name="chunk"/>.</summary>
    public float* Chunk(int chunk) => _memory + chunk * _chunkSize;

    /// <summary>
    /// Asks for chunk <paramref name="chunk"/> in the L2 cache, line after line, before a loop reads its rows in random
    /// order. Inside a training step packed rows are often read long after they were written (a layer's input waits
    /// through the output layer's products between its forward and its backward pass), so each random row read would wait
    /// for memory; a sequential sweep of prefetches streams the chunk in instead. Measured in the step (<c>sparse
    /// --phases</c>, docs/throughput.md): the sparse layers' backward products 8–20 % faster at u = 1 %, the schedule
    /// unchanged; alone (<c>sparse-parts</c>), where the chunk is already cached, faster at 1 % and a median 3–4 % slower
    /// at 10 and 34 % (pairs from x0.92 to x1.19). Changes no result.
    /// </summary>
    public void PrefetchChunk(int chunk)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        byte* line = (byte*)Chunk(chunk), end = line + _chunkSize * sizeof(float);
        for (; line < end; line += CacheLine)
        {
            Sse.Prefetch1(line);
        }
    }

    private const int CacheLine = 64;

    /// <summary>Packs the rows of <paramref name="source"/> [rows, n] (feature-major).</summary>
    public void FillRows(float* source, int rows, int n, int threads) =>
        FillChunks(rows, n, threads, (first, width, target) =>
        {
            int chunk = SparseProducts.Chunk;
            for (int r = 0; r < rows; r++)
            {
                var row = new Span<float>(target + (long)r * chunk, chunk);
                new ReadOnlySpan<float>(source + (long)r * n + first, width).CopyTo(row);
                row[width..].Clear();
            }
        });

    /// <summary>Packs the columns of <paramref name="source"/> [n, rows] (row-major, e.g. a batch of images), so that
    /// packed row r is column r: the transpose and the packing in one pass, eight batch values (eight source rows read
    /// in step) at a time, as 8x8 blocks transposed in registers where the processor has 256-bit vectors (unless
    /// <paramref name="blocks"/> is false: value by value, as without them; benchmarks compare the two).</summary>
    public void FillColumns(float* source, int rows, int n, int threads, bool blocks = true) =>
        FillChunks(rows, n, threads, (first, width, target) => TransposeChunk(source, rows, first, width, target, blocks && Avx.IsSupported));

    /// <summary>Packs chunk <paramref name="chunk"/> of the columns of <paramref name="source"/> [n, rows] as
    /// <see cref="FillColumns"/> does, after <see cref="Prepare"/>: a product that packs each chunk just before reading
    /// it finds it in cache.</summary>
    public void FillColumnsOfChunk(float* source, int rows, int n, int chunk)
    {
        int first = chunk * SparseProducts.Chunk;
        TransposeChunk(source, rows, first, Math.Min(SparseProducts.Chunk, n - first), Chunk(chunk), Avx.IsSupported);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeChunk(float* source, int rows, int first, int width, float* target, bool blocks)
    {
        int chunk = SparseProducts.Chunk;
        int s = 0;
        for (; s + 8 <= width; s += 8)
        {
            float* p0 = source + (long)(first + s) * rows;
            int r = 0;
            if (blocks)
            {
                for (; r + 8 <= rows; r += 8)
                {
                    Transpose.Block8x8(p0 + r, rows, target + (long)r * chunk + s, chunk);
                }
            }

            float* p1 = p0 + rows, p2 = p1 + rows, p3 = p2 + rows, p4 = p3 + rows, p5 = p4 + rows, p6 = p5 + rows, p7 = p6 + rows;
            for (; r < rows; r++)
            {
                float* t = target + (long)r * chunk + s;
                t[0] = p0[r];
                t[1] = p1[r];
                t[2] = p2[r];
                t[3] = p3[r];
                t[4] = p4[r];
                t[5] = p5[r];
                t[6] = p6[r];
                t[7] = p7[r];
            }
        }

        for (; s < chunk; s++)
        {
            float* p = source + (long)(first + s) * rows;
            for (int r = 0; r < rows; r++)
            {
                target[(long)r * chunk + s] = s < width ? p[r] : 0;
            }
        }
    }

    /// <summary>Packs row <paramref name="row"/>'s <paramref name="n"/> values (after <see cref="Prepare"/>).</summary>
    public void WriteRow(int row, float* values, int n)
    {
        int chunk = SparseProducts.Chunk;
        for (int first = 0, c = 0; first < n; first += chunk, c++)
        {
            int width = Math.Min(chunk, n - first);
            new ReadOnlySpan<float>(values + first, width).CopyTo(new Span<float>(RowPiece(row, c, width), width));
        }
    }

    /// <summary>Row <paramref name="row"/>'s part of chunk <paramref name="chunk"/> (after <see cref="Prepare"/>), its
    /// values past <paramref name="width"/> zeroed: where a producer writes the row's <paramref name="width"/> batch values
    /// of that chunk itself.</summary>
    public float* RowPiece(int row, int chunk, int width)
    {
        float* piece = Chunk(chunk) + (long)row * SparseProducts.Chunk;
        if (width < SparseProducts.Chunk)
        {
            new Span<float>(piece + width, SparseProducts.Chunk - width).Clear();
        }

        return piece;
    }

    private delegate void ChunkFill(int first, int width, float* target);

    /// <summary>Reserves room for [rows, n] and fills it chunk by chunk (in parallel when worth it): chunk c gets the
    /// batch values from c·<see cref="SparseProducts.Chunk"/> on, <c>width</c> of them, into its packed rows.</summary>
    private void FillChunks(int rows, int n, int threads, ChunkFill fill)
    {
        Prepare(rows, n);
        float* memory = _memory;
        long chunkSize = _chunkSize;
        int chunk = SparseProducts.Chunk, chunks = Chunks(n);
        ParallelWork.Run(chunks, threads, chunkSize * chunks, c =>
        {
            int first = c * chunk;
            fill(first, Math.Min(chunk, n - first), memory + c * chunkSize);
        });
    }

    private static int Chunks(int n) => (n + SparseProducts.Chunk - 1) / SparseProducts.Chunk;

    /// <summary>Reserves room for [rows, n]: a fill does it; a producer that writes its rows itself (<see cref="WriteRow"/>,
    /// e.g. the hidden layer before a sparse layer) calls it first.</summary>
    public void Prepare(int rows, int n)
    {
        _chunkSize = (long)rows * SparseProducts.Chunk;
        long needed = _chunkSize * Chunks(n);
        if (needed > _capacity)
        {
            NativeMemory.AlignedFree(_memory);
            _memory = (float*)NativeMemory.AlignedAlloc((nuint)(needed * sizeof(float)), 64);
            _capacity = needed;
        }
    }

    public void Dispose()
    {
        NativeMemory.AlignedFree(_memory);
        _memory = null;
        _capacity = 0;
    }
}
