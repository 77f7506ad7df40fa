using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class ThreadInvarianceTests
{
    [Theory]
    [InlineData(true, 100)]
    [InlineData(false, 60)]
    public void The_quickstart_and_lenet_layouts_train_the_same_with_one_and_two_threads(bool batchNorm, int batch)
    {
        TorchRuntime.EnsureLoaded();
        using var model = new MaskedMlp(784, new NetworkSpec { Hidden = [128, 100], BatchNorm = batchNorm }, 10, 0.99, CPU);

        Assert.True(ThreadInvariance.Holds(model, batch, 2));
    }

    [Fact]
    public void Budgets_too_large_to_check_are_not_trusted()
    {
        TorchRuntime.EnsureLoaded();
        using var model = new MaskedMlp(8, new NetworkSpec { Hidden = [4] }, 2, 0.99, CPU);

        Assert.False(ThreadInvariance.Holds(model, 4, ThreadInvariance.MaxCheckedThreads + 1));
        Assert.True(ThreadInvariance.Holds(model, 4, 1));
    }
}
