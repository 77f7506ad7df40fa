using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Grid.Engine.Runtime;

/// <summary>
/// The memory of a contiguous float32 (or int64) CPU tensor, for the engine's own SIMD kernels. TorchSharp exposes no data pointer,
/// so this asks its native library (<c>THSTensor_data</c>, what its own TensorAccessor uses). The pointer is valid while
/// the tensor is alive and not resized.
/// </summary>
public static class TensorMemory
{
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);

    /// <summary>The first element of <paramref name="tensor"/>; throws unless it is a contiguous float32 CPU tensor.</summary>
    public static unsafe float* Floats(Tensor tensor) => (float*)Data(tensor, ScalarType.Float32);

    /// <summary>The first element of <paramref name="tensor"/>; throws unless it is a contiguous int64 CPU tensor.</summary>
    public static unsafe long* Longs(Tensor tensor) => (long*)Data(tensor, ScalarType.Int64);

    /// <summary>Whether <see cref="Floats"/> can read <paramref name="tensor"/>.</summary>
    public static bool HasFloats(Tensor tensor) => Readable(tensor, ScalarType.Float32);

    private static bool Readable(Tensor tensor, ScalarType type) =>
        tensor.device_type == DeviceType.CPU && tensor.dtype == type && tensor.is_contiguous();

    private static IntPtr Data(Tensor tensor, ScalarType type)
    {
        if (!Readable(tensor, type))
        {
            throw new ArgumentException($"expected a contiguous {type} CPU tensor, got {tensor.dtype} on {tensor.device} (contiguous: {tensor.is_contiguous()})");
        }

        return THSTensor_data(tensor.Handle);
    }
}
