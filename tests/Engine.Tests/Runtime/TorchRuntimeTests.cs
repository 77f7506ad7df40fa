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

    [Fact]
    public void The_OpenMP_spin_count_is_in_the_native_environment_once_libgomp_is_loaded()
    {
        TorchRuntime.EnsureLoaded();
        using var warm = ones(100).add(1); // any parallel op

        Assert.True(OpenMpWaitPolicy.LibGompLoaded());
        Assert.False(OpenMpWaitPolicy.Missed); // set when the engine's assembly loaded, before libtorch
        // Grid's value, or the user's when the test process was started with one; .NET's copy agrees with the native one.
        Assert.Equal(Environment.GetEnvironmentVariable(OpenMpWaitPolicy.SpinCountVariable), NativeEnvironment.Get(OpenMpWaitPolicy.SpinCountVariable));
        if (Environment.GetEnvironmentVariable(OpenMpWaitPolicy.WaitPolicyVariable) is null)
        {
            Assert.NotNull(NativeEnvironment.Get(OpenMpWaitPolicy.SpinCountVariable));
        }
    }
}
