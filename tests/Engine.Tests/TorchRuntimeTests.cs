using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void TorchLoadsAndMultiplies()
    {
        TorchRuntime.EnsureLoaded();
        using var a = ones(2, 3);
        using var b = ones(3, 4);
        using var c = a.matmul(b);
        Assert.Equal(3f, c[1, 2].item<float>());
    }
}
