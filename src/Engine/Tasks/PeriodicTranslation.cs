using Grid.Engine.Data;
using static TorchSharp.torch;

namespace Grid.Engine.Tasks;

/// <summary>
/// Random periodic translation (docs/science.md §5): every time a training batch is drawn, each image is rolled by its own
/// random (dx, dy) ∈ [0, W-1] × [0, H-1] with wrap-around, like torch.roll(image, (dy, dx), dims (H, W)):
/// out[c, y, x] = in[c, (y - dy) mod H, (x - dx) mod W]. Implemented with index arithmetic and gather on the
/// batch's device (no CPU round trip of the images); only the B shift pairs are drawn on the CPU.
/// </summary>
public static class PeriodicTranslation
{
    /// <summary>
    /// Rolls every image of <paramref name="images"/> [B, C, H, W] by shifts drawn from
    /// <paramref name="generator"/> (a CPU generator; dx for all images first, then dy). Returns a new tensor.
    /// </summary>
    public static Tensor RandomRoll(Tensor images, Generator generator)
    {
        RequireImages(images);
        long batch = images.shape[0], height = images.shape[2], width = images.shape[3];
        using var dx = randint(width, [batch], dtype: int64, generator: generator);
        using var dy = randint(height, [batch], dtype: int64, generator: generator);
        return Roll(images, dx.data<long>().ToArray(), dy.data<long>().ToArray());
    }

    /// <summary>Rolls image b of <paramref name="images"/> [B, C, H, W] by (dx[b], dy[b]) with periodic wrap; returns a new [B, C, H, W] tensor.</summary>
    public static Tensor Roll(Tensor images, long[] dx, long[] dy)
    {
        RequireImages(images);
        long batch = images.shape[0], channels = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (dx.Length != batch || dy.Length != batch)
        {
            throw new ArgumentException($"{batch} images but {dx.Length} dx and {dy.Length} dy shifts");
        }

        var device = images.device;
        using var scope = NewDisposeScope();
        var shiftX = tensor(dx, [batch], dtype: int64).to(device).view(batch, 1, 1);
        var shiftY = tensor(dy, [batch], dtype: int64).to(device).view(batch, 1, 1);
        var columns = arange(w, dtype: int64, device: device).view(1, 1, w);
        var rows = arange(h, dtype: int64, device: device).view(1, h, 1);
        var sourceColumns = (columns - shiftX).remainder(w);
        var sourceRows = (rows - shiftY).remainder(h);
        var index = (sourceRows * w + sourceColumns).view(batch, 1, h * w).expand(batch, channels, h * w);
        var rolled = images.reshape(batch, channels, h * w).gather(2, index).view(batch, channels, h, w);
        return rolled.MoveToOuterDisposeScope();
    }

    /// <summary>The same for flat images [B, C·H·W] of the given shape; returns [B, C·H·W].</summary>
    public static Tensor Roll(Tensor images, ImageShape shape, long[] dx, long[] dy)
    {
        using var scope = NewDisposeScope();
        var batch = images.shape[0];
        var rolled = Roll(images.view(batch, shape.Channels, shape.Height, shape.Width), dx, dy).view(batch, shape.Features);
        return rolled.MoveToOuterDisposeScope();
    }

    private static void RequireImages(Tensor images)
    {
        if (images.dim() != 4)
        {
            throw new ArgumentException($"expected images [B, C, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        }
    }
}
