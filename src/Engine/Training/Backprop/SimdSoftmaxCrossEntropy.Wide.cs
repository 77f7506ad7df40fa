using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// The loss's passes with 512-bit vectors, for processors that have them. The exponential is the pass's cost, and it is
/// computed lane by lane: a core with two full 512-bit units (Zen 5) ran the largest-logit and exponential passes over
/// 1000x1000 logits in 0.51 ms against 0.90 ms with 256-bit vectors (one thread, docs/throughput.md), with the same bits.
/// </summary>
public static unsafe partial class SimdSoftmaxCrossEntropy
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VectorBlockWide(Columns columns, int from, int count, double* losses, bool* hits)
    {
        var (x, g, _, classes, n) = columns;
        const int w = 16;
        var max = stackalloc Vector512<float>[count];
        var sum = stackalloc Vector512<float>[count];
        var arg = stackalloc Vector512<int>[count];
        for (int v = 0; v < count; v++)
        {
            max[v] = Vector512.Load(x + from + v * w);
            arg[v] = Vector512<int>.Zero;
            sum[v] = Vector512<float>.Zero;
        }

        for (int c = 1; c < classes; c++)
        {
            float* row = x + (long)c * n + from;
            for (int v = 0; v < count; v++)
            {
                var value = Vector512.Load(row + v * w);
                arg[v] = Vector512.ConditionalSelect(Vector512.GreaterThan(value, max[v]).AsInt32(), Vector512.Create(c), arg[v]);
                max[v] = Vector512.Max(value, max[v]);
            }
        }

        for (int c = 0; c < classes; c++)
        {
            long offset = (long)c * n + from;
            for (int v = 0; v < count; v++)
            {
                var e = Vector512.Exp(Vector512.Load(x + offset + v * w) - max[v]);
                e.Store(g + offset + v * w);
                sum[v] += e;
            }
        }

        var scale = stackalloc Vector512<float>[count];
        for (int v = 0; v < count; v++)
        {
            scale[v] = Vector512<float>.One / (sum[v] * Vector512.Create((float)n));
        }

        for (int c = 0; c < classes; c++)
        {
            long offset = (long)c * n + from;
            for (int v = 0; v < count; v++)
            {
                (Vector512.Load(g + offset + v * w) * scale[v]).Store(g + offset + v * w);
            }
        }

        for (int k = 0; k < count * w; k++)
        {
            columns.Finish(from + k, max[k / w][k % w], sum[k / w][k % w], arg[k / w][k % w], losses, hits);
        }
    }
}
