using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Grid.Engine.Numerics;

namespace Grid.Engine.Data;

/// <summary>
/// A batch's images normalised (<see cref="PixelNormalisation"/>: the same operations, so the same bits) straight into a
/// sparse first layer's packed input: one chunk of batch columns at a time, each pixel a row of the chunk, eight images
/// times eight pixels converted in registers and transposed there. The batch then never exists as a [B, pixels] float
/// tensor: the first layer's product packs each chunk just before reading it, from the dataset's bytes.
/// </summary>
public static unsafe class PixelPacking
{
    /// <summary>
    /// Batch columns <paramref name="first"/>..first+<paramref name="width"/>-1 (images <paramref name="indices"/>[first..])
    /// into <paramref name="target"/>: row r (pixel r) at target + r·<paramref name="stride"/>, its values 0..width-1,
    /// zeros from width up to <paramref name="stride"/>.
    /// </summary>
    public static void PackChunk(ImageDataset dataset, ReadOnlySpan<int> indices, ReadOnlySpan<float> mean, int first, int width, float* target, int stride)
    {
        int pixels = dataset.Shape.Features, s = 0;
        fixed (float* m = mean)
        {
            if (Avx2.IsSupported)
            {
                for (; s + 8 <= width; s += 8)
                {
                    EightImages(dataset, indices.Slice(first + s, 8), m, pixels, target + s, stride);
                }
            }

            for (; s < width; s++)
            {
                var image = dataset.Image(indices[first + s]);
                for (int r = 0; r < pixels; r++)
                {
                    target[(long)r * stride + s] = PixelNormalisation.Normalised(image[r], m[r]);
                }
            }

            for (int r = 0; width < stride && r < pixels; r++)
            {
                new Span<float>(target + (long)r * stride + width, stride - width).Clear();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EightImages(ImageDataset dataset, ReadOnlySpan<int> indices, float* mean, int pixels, float* target, int stride)
    {
        fixed (byte* p0 = dataset.Image(indices[0]), p1 = dataset.Image(indices[1]), p2 = dataset.Image(indices[2]), p3 = dataset.Image(indices[3]),
            p4 = dataset.Image(indices[4]), p5 = dataset.Image(indices[5]), p6 = dataset.Image(indices[6]), p7 = dataset.Image(indices[7]))
        {
            var range = Vector256.Create(PixelNormalisation.PixelRange);
            int r = 0;
            for (; r + 8 <= pixels; r += 8)
            {
                var m = Avx.LoadVector256(mean + r);
                Transpose.Store8x8(
                    Normalised(p0 + r, m, range), Normalised(p1 + r, m, range), Normalised(p2 + r, m, range), Normalised(p3 + r, m, range),
                    Normalised(p4 + r, m, range), Normalised(p5 + r, m, range), Normalised(p6 + r, m, range), Normalised(p7 + r, m, range),
                    target + (long)r * stride, stride);
            }

            byte** images = stackalloc byte*[] { p0, p1, p2, p3, p4, p5, p6, p7 };
            for (; r < pixels; r++)
            {
                for (int k = 0; k < 8; k++)
                {
                    target[(long)r * stride + k] = PixelNormalisation.Normalised(images[k][r], mean[r]);
                }
            }
        }
    }

    /// <summary>Eight pixels as <see cref="PixelNormalisation.Normalise"/> makes them: converted exactly, the mean
    /// subtracted, divided by 255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Normalised(byte* pixels, Vector256<float> mean, Vector256<float> range) =>
        (Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(pixels)) - mean) / range;
}
