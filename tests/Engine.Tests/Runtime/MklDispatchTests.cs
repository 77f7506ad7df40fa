using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class MklDispatchTests
{
    private const string Shim = "/opt/grid/libgrid_mkl_dispatch_shim.so";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData(" AUTO ")]
    public void Auto_loads_the_shim_only_on_an_AMD_processor_with_AVX512_where_the_build_made_it(string? setting)
    {
        Assert.True(MklDispatch.Decide(setting, amdWithAvx512: true, Shim).LoadsShim);
        Assert.False(MklDispatch.Decide(setting, amdWithAvx512: false, Shim).LoadsShim);
        var unbuilt = MklDispatch.Decide(setting, amdWithAvx512: true, shimPath: null);
        Assert.False(unbuilt.LoadsShim);
        Assert.Contains(MklDispatch.ShimName, unbuilt.Reason);
    }

    [Fact]
    public void Off_keeps_MKLs_own_choice_and_anything_else_is_refused_naming_the_variable()
    {
        var off = MklDispatch.Decide("off", amdWithAvx512: true, Shim);
        Assert.False(off.LoadsShim);
        Assert.Contains("GRID_MKL_AVX512=off", off.Reason);

        Assert.Null(MklDispatch.SettingProblem("Off"));
        string? problem = MklDispatch.SettingProblem("yes");
        Assert.NotNull(problem);
        Assert.StartsWith("GRID_MKL_AVX512='yes' is not a setting: use auto", problem);
        var refused = Assert.Throws<InvalidOperationException>(() => MklDispatch.Decide("yes", amdWithAvx512: true, Shim));
        Assert.Equal(problem, refused.Message);
    }

    [Fact]
    public void On_this_host_MKL_runs_the_kernels_the_choice_names()
    {
        TorchRuntime.EnsureLoaded();
        var choice = MklDispatch.Choice;
        int? branch = MklKernels.AutoBranch();

        Assert.NotNull(branch); // libtorch's CPU build carries MKL
        string setting = Environment.GetEnvironmentVariable(MklDispatch.Variable)?.Trim().ToLowerInvariant() ?? "";
        if (OperatingSystem.IsLinux() && MklDispatch.IsAmdWithAvx512() && setting is "" or "auto")
        {
            Assert.True(choice.LoadsShim, choice.Reason); // the build put the shim beside libtorch
        }

        if (choice.LoadsShim)
        {
            Assert.True(MklKernels.IsAvx512Branch(branch!.Value), MklDispatch.Describe());
            Assert.True(MklKernels.IsStrict() || Environment.GetEnvironmentVariable(MklDispatch.ReproducibilityVariable) != MklDispatch.StrictReproducibility, MklDispatch.Describe());
            Assert.StartsWith("AVX-512", MklDispatch.Describe());
            Assert.EndsWith(HostProfileSuffix, HostProfile.Cpu);
        }
        else
        {
            Assert.DoesNotContain(HostProfileSuffix, HostProfile.Cpu);
        }
    }

    private const string HostProfileSuffix = ", MKL AVX-512";

    /// <summary>The forward product of the quickstart's first layer at LeNet's batch: MKL's AVX-512 kernels split its
    /// inner sum (784) by the thread count unless strict reproducibility is on.</summary>
    [Fact]
    public void A_long_inner_sum_gives_the_same_bits_on_one_two_and_three_threads()
    {
        TorchRuntime.EnsureLoaded();
        using var generator = new Generator(7);
        using var weight = randn([128, 784], generator: generator);
        using var input = randn([784, 60], generator: generator);

        var products = new[] { 1, 2, 3 }.Select(threads => OnThreads(threads, () => weight.mm(input))).ToList();

        using var reference = weight.to(float64).mm(input.to(float64));
        Assert.True(products[0].to(float64).allclose(reference, rtol: 1e-5, atol: 1e-4));
        Assert.True(products[0].eq(products[1]).all().item<bool>(), "1 and 2 threads differ");
        Assert.True(products[0].eq(products[2]).all().item<bool>(), "1 and 3 threads differ");
    }

    private static Tensor OnThreads(int threads, Func<Tensor> product)
    {
        int before = TorchThreads.OfCurrentThread();
        TorchThreads.UseOnCurrentThread(threads);
        try
        {
            return product();
        }
        finally
        {
            TorchThreads.UseOnCurrentThread(before);
        }
    }
}
