using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Data;

/// <summary>
/// An image's uint8 pixels as the network's inputs, x' = (x - mean) / 255 (docs/science.md §1), in one SIMD pass on the
/// CPU. The operations are libtorch's (an exact conversion, a subtraction and a division, each rounded once), so the
/// bits are those of its <c>to_type(float32).sub_(mean).div_(255)</c> in three passes over the batch.
/// </summary>
public static class PixelNormalisation
{
    internal const float PixelRange = 255f;

    /// <summary>255 as a process-lifetime Scalar (see TorchScalars).</summary>
    private static readonly Scalar PixelRangeScalar = PixelRange.ToScalar();

    /// <summary>Images [B, features] uint8 normalised by libtorch's operations on their device (three passes).</summary>
    public static Tensor Tensors(Tensor pixels, Tensor mean) => pixels.to_type(float32).sub_(mean).div_(PixelRangeScalar);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normalise(ReadOnlySpan<byte> pixels, ReadOnlySpan<float> mean, Span<float> target)
    {
        if (mean.Length != pixels.Length || target.Length != pixels.Length)
        {
            throw new ArgumentException($"{pixels.Length} pixels, {mean.Length} means and {target.Length} targets must agree");
        }

        ref byte p = ref MemoryMarshal.GetReference(pixels);
        ref float m = ref MemoryMarshal.GetReference(mean);
        ref float t = ref MemoryMarshal.GetReference(target);
        int n = pixels.Length, i = 0, w = Vector256<float>.Count;
        var range = Vector256.Create(PixelRange);
        for (; i + 4 * w <= n; i += 4 * w)
        {
            var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)i)); // 32 pixels as two halves of ushorts
            var (q0, q1) = Vector256.Widen(low);
            var (q2, q3) = Vector256.Widen(high);
            Store(q0, ref m, ref t, i, range);
            Store(q1, ref m, ref t, i + w, range);
            Store(q2, ref m, ref t, i + 2 * w, range);
            Store(q3, ref m, ref t, i + 3 * w, range);
        }

        for (; i < n; i++)
        {
            target[i] = Normalised(pixels[i], mean[i]);
        }
    }

    /// <summary>One pixel: converted exactly, the mean subtracted, divided by 255.</summary>
    public static float Normalised(byte pixel, float mean) => (pixel - mean) / PixelRange;

    private static void Store(Vector256<uint> pixels, ref float mean, ref float target, int at, Vector256<float> range) =>
        ((Vector256.ConvertToSingle(pixels.AsInt32()) - Vector256.LoadUnsafe(ref mean, (nuint)at)) / range).StoreUnsafe(ref target, (nuint)at);
}
