using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// The combining loop with 512-bit vectors, for processors that have them: four vectors per chunk, two entries per round
/// with their own accumulators. Measured against the <see cref="Vector{T}"/> loop on the development host (Zen 4): 26
/// against 21 GFMA/s for a 1024x1024 layer at 10% density (docs/throughput.md); the dot products stay with
/// <see cref="Vector{T}"/>, whose horizontal sum is cheaper (16 against 10 GFMA/s). The loops add in different orders,
/// so a host with and one without 512-bit vectors give different bits (the same host always the same).
/// </summary>
public static unsafe partial class SparseProducts
{
    private static readonly bool Wide = Vector512.IsHardwareAccelerated && Chunk == 4 * Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineChunkWide(int from, int to, int* sourceRows, float* coefficients, float* slice, float bias, float* target)
    {
        const int w = 16;
        int stride = Chunk, e = from;
        Vector512<float> a0 = Vector512.Create(bias), a1 = a0, a2 = a0, a3 = a0;
        Vector512<float> b0 = Vector512<float>.Zero, b1 = b0, b2 = b0, b3 = b0;
        for (; e + 1 < to; e += 2)
        {
            var c = Vector512.Create(coefficients[e]);
            var d = Vector512.Create(coefficients[e + 1]);
            float* s = slice + (long)sourceRows[e] * stride, t = slice + (long)sourceRows[e + 1] * stride;
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
            float* s = slice + (long)sourceRows[e] * stride;
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
}
