using Grid.Engine.Runtime;

namespace Grid.Engine.Tests;

public sealed class DevicesTests
{
    [Theory]
    [InlineData("cpu", 0, "cpu")]
    [InlineData("auto", 0, "cpu")]
    [InlineData("auto", 2, "cuda:0,cuda:1")]
    [InlineData("cuda:all", 4, "cuda:0,cuda:1,cuda:2,cuda:3")]
    [InlineData("cuda", 2, "cuda:0")]
    [InlineData("CUDA:1, cuda:0", 2, "cuda:1,cuda:0")]
    [InlineData("cuda:0,cuda,cuda:0", 1, "cuda:0")]
    [InlineData("cpu,cuda:0", 1, "cpu,cuda:0")]
    public void A_setting_expands_to_distinct_canonical_devices(string setting, int cudaDevices, string expected)
    {
        Assert.Equal(expected, string.Join(',', Devices.Expand(setting, cudaDevices)));
    }

    [Theory]
    [InlineData("tpu", 0, "device 'tpu': expected cpu, cuda, cuda:N, cuda:all or auto")]
    [InlineData("cuda:all", 0, "device 'cuda:all': CUDA is not available on this host")]
    [InlineData("cuda:2", 2, "device 'cuda:2': this host has 2 CUDA devices (cuda:0..cuda:1)")]
    [InlineData("cuda:-1", 2, "device 'cuda:-1': expected cpu")]
    [InlineData(" , ", 0, "no device given")]
    public void A_bad_setting_names_the_device_and_the_reason(string setting, int cudaDevices, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Devices.Expand(setting, cudaDevices));
        Assert.StartsWith(message, error.Message);
    }
}
