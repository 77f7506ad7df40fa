using TorchSharp;

namespace Grid.Engine.Runtime;

/// <summary>
/// Why the training paths never pass a bare number where TorchSharp expects a <see cref="Scalar"/>: TorchSharp 0.107
/// turns it into a temporary Scalar that nothing disposes and nothing keeps alive once its handle is read, so a
/// garbage collection on another thread can run its finalizer, freeing the native value while the native call that
/// received the handle still reads it (seen here once, in an engine-alone run on a busy machine: "Expected false to
/// be true" from c10::Scalar::toDouble inside add_). The per-step code and the pruning's mask tests pass these
/// process-lifetime Scalars, or Scalars held by a <c>using</c> until the call has returned.
/// </summary>
public static class TorchScalars
{
    /// <summary>0, the threshold of "kept" in a mask.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>1, the alpha of a plain in-place add or sub.</summary>
    public static readonly Scalar One = 1.ToScalar();
}
