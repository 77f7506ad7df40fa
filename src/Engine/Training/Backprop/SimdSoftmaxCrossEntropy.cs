using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// Softmax cross-entropy of feature-major logits [classes, N] on the CPU, in three passes over each block of columns that
/// stays in cache: the mean loss, how many columns have their largest logit at the label, and d loss / d logits =
/// (softmax - one-hot) / N. libtorch took a dozen operations for these (log_softmax, gather, mean, argmax, eq, sum, exp,
/// scatter, ...), each a pass over the logits. Columns are independent and the loss is summed in column order, so the
/// bits do not depend on the thread count.
/// </summary>
public static unsafe partial class SimdSoftmaxCrossEntropy
{
    /// <summary>Columns per task: four cache lines of each class's row.</summary>
    private const int Block = 64;

    /// <summary>Logits [classes, N] (contiguous float32 on the CPU) and labels [N] (int64): the mean loss and the number
    /// of correct predictions (0-dim float32 tensors) and the gradient [classes, N]. For a bundle's logits [K, classes, N]
    /// and labels [K, N], each member's ([K] tensors) and each member's gradient, the same bits as the member's alone.
    /// With <paramref name="wide"/>, 512-bit vectors where the processor has them (the same bits as 256-bit ones: every
    /// column is its own lane; tests compare the two).</summary>
    public static (Tensor Loss, Tensor Correct, Tensor Gradient) Run(Tensor logits, Tensor labels, int threads, bool wide = true)
    {
        long[] shape = logits.shape;
        bool stacked = shape.Length == 3;
        if (shape.Length is not (2 or 3) || !labels.shape.SequenceEqual(shape.Where((_, d) => d != shape.Length - 2)))
        {
            throw new ArgumentException($"expected logits [classes, N] with labels [N], or [K, classes, N] with [K, N]; got [{string.Join(", ", shape)}] and [{string.Join(", ", labels.shape)}]");
        }

        int members = stacked ? (int)shape[0] : 1, classes = (int)shape[^2], n = (int)shape[^1];

        long* y = TensorMemory.Longs(labels);
        CheckLabels(y, members * n, n, classes);
        var gradient = empty_like(logits);
        float* x = TensorMemory.Floats(logits), g = TensorMemory.Floats(gradient);
        var losses = new double[members * n];
        var hits = new bool[members * n];
        int blocks = (n + Block - 1) / Block;
        bool vectors512 = wide && Vector512.IsHardwareAccelerated;
        ParallelWork.Run(members * blocks, threads, (long)members * classes * n, task =>
        {
            int member = task / blocks, from = task % blocks * Block, to = Math.Min(n, from + Block);
            long offset = (long)member * classes * n;
            var columns = new Columns(x + offset, g + offset, y + (long)member * n, classes, n);
            fixed (double* memberLosses = &losses[member * n])
            fixed (bool* memberHits = &hits[member * n])
            {
                int j = from;
                if (vectors512)
                {
                    int count = (to - j) / Vector512<float>.Count;
                    if (count > 0)
                    {
                        VectorBlockWide(columns, j, count, memberLosses, memberHits);
                        j += count * Vector512<float>.Count;
                    }
                }

                int narrow = (to - j) / Vector<float>.Count;
                if (narrow > 0)
                {
                    VectorBlock(columns, j, narrow, memberLosses, memberHits);
                    j += narrow * Vector<float>.Count;
                }

                for (; j < to; j++)
                {
                    Column(columns, j, memberLosses, memberHits);
                }
            }
        });

        var loss = new float[members];
        var correct = new float[members];
        for (int m = 0; m < members; m++)
        {
            double total = 0;
            for (int j = 0; j < n; j++)
            {
                total += losses[m * n + j];
                correct[m] += hits[m * n + j] ? 1 : 0;
            }

            loss[m] = (float)(total / n);
        }

        return stacked ? (tensor(loss), tensor(correct), gradient) : (tensor(loss[0]), tensor(correct[0]), gradient);
    }

    /// <summary>One member's logits x and gradient g [classes, n], and its labels.</summary>
    private readonly struct Columns(float* x, float* g, long* labels, int classes, int n)
    {
        public void Deconstruct(out float* logits, out float* gradient, out long* labelsOut, out int classCount, out int columnCount)
        {
            logits = x;
            gradient = g;
            labelsOut = labels;
            classCount = classes;
            columnCount = n;
        }

        /// <summary>After the three passes, column j's loss log Σ exp(x - max) - (x[label] - max), whether its largest
        /// logit is at its label, and its label's gradient less 1/n.</summary>
        public void Finish(int j, float max, float sum, int arg, double* losses, bool* hits)
        {
            long label = labels[j];
            losses[j] = MathF.Log(sum) - (x[label * n + j] - max);
            hits[j] = arg == label;
            g[label * n + j] -= 1f / n;
        }
    }

    /// <summary>The three passes over <paramref name="count"/> vectors of columns from <paramref name="from"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VectorBlock(Columns columns, int from, int count, double* losses, bool* hits)
    {
        var (x, g, _, classes, n) = columns;
        int w = Vector<float>.Count;
        var max = stackalloc Vector<float>[count];
        var sum = stackalloc Vector<float>[count];
        var arg = stackalloc Vector<int>[count];
        for (int v = 0; v < count; v++)
        {
            max[v] = Vector.Load(x + from + v * w);
            arg[v] = Vector<int>.Zero;
            sum[v] = Vector<float>.Zero;
        }

        for (int c = 1; c < classes; c++)
        {
            float* row = x + (long)c * n + from;
            for (int v = 0; v < count; v++)
            {
                var value = Vector.Load(row + v * w);
                arg[v] = Vector.ConditionalSelect(Vector.GreaterThan(value, max[v]), new Vector<int>(c), arg[v]);
                max[v] = Vector.Max(value, max[v]);
            }
        }

        for (int c = 0; c < classes; c++)
        {
            long offset = (long)c * n + from;
            for (int v = 0; v < count; v++)
            {
                var e = Vector.Exp(Vector.Load(x + offset + v * w) - max[v]);
                Vector.Store(e, g + offset + v * w);
                sum[v] += e;
            }
        }

        var scale = stackalloc Vector<float>[count];
        for (int v = 0; v < count; v++)
        {
            scale[v] = Vector<float>.One / (sum[v] * new Vector<float>(n));
        }

        for (int c = 0; c < classes; c++)
        {
            long offset = (long)c * n + from;
            for (int v = 0; v < count; v++)
            {
                Vector.Store(Vector.Load(g + offset + v * w) * scale[v], g + offset + v * w);
            }
        }

        for (int k = 0; k < count * w; k++)
        {
            columns.Finish(from + k, max[k / w][k % w], sum[k / w][k % w], arg[k / w][k % w], losses, hits);
        }
    }

    private static void Column(Columns columns, int j, double* losses, bool* hits)
    {
        var (x, g, _, classes, n) = columns;
        float max = x[j];
        int arg = 0;
        for (int c = 1; c < classes; c++)
        {
            float value = x[(long)c * n + j];
            if (value > max)
            {
                (max, arg) = (value, c);
            }
        }

        float sum = 0;
        for (int c = 0; c < classes; c++)
        {
            float e = MathF.Exp(x[(long)c * n + j] - max);
            g[(long)c * n + j] = e;
            sum += e;
        }

        float scale = 1f / (sum * n);
        for (int c = 0; c < classes; c++)
        {
            g[(long)c * n + j] *= scale;
        }

        columns.Finish(j, max, sum, arg, losses, hits);
    }

    /// <summary>Before any pass, on the calling thread: a label outside the classes would index outside the logits.</summary>
    private static void CheckLabels(long* labels, int count, int n, int classes)
    {
        for (int i = 0; i < count; i++)
        {
            if ((ulong)labels[i] >= (ulong)classes)
            {
                throw new ArgumentException($"label {labels[i]} of batch column {i % n} is not a class of {classes}");
            }
        }
    }
}
