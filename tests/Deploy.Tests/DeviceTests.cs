using System.Globalization;
using Grid.Deploy.Tests.Support;
using static Grid.Deploy.Tests.Support.GridNames;

namespace Grid.Deploy.Tests;

/// <summary>The device each overlay trains on, and what the scheduler needs to know about it.</summary>
public class DeviceTests
{
    private const string Gpu = "nvidia.com/gpu";

    [Fact]
    public void Cpu_overlay_runs_three_cpu_silos_and_asks_for_no_gpu()
    {
        var m = Render("cpu");
        Assert.Equal(3, m.SiloDeployment().Node.Int("spec", "replicas"));
        Assert.Equal("cpu", m.Setting("Grid__Device"));
        Assert.Equal("1", m.Setting("Grid__DeviceSlots"));
        foreach (var container in m.Workloads.SelectMany(w => w.AllContainers))
        {
            Assert.Null(container.Resource("limits", Gpu));
            Assert.Null(container.Resource("requests", Gpu));
        }

        var pod = m.SiloDeployment().PodSpec;
        Assert.DoesNotContain(pod.Items("tolerations"), t => t.Str("key") == Gpu);
        Assert.DoesNotContain(pod.Map("nodeSelector").Keys, k => k.StartsWith("nvidia.com/", StringComparison.Ordinal));

        // libtorch's threads fit the pod's CPU share (it would otherwise use every core of the node).
        int threads = int.Parse(m.Setting("Grid__TorchThreads"), CultureInfo.InvariantCulture);
        double requested = Cores(m.SiloContainerOf().Resource("requests", "cpu"));
        Assert.True(threads >= 1 && threads <= Math.Max(1, requested),
            $"Grid__TorchThreads={threads} should be between 1 and the silo's CPU request ({requested})");
    }

    [Fact]
    public void Gpu_overlay_gives_each_silo_gpus_and_one_device_slot_on_every_gpu()
    {
        var m = Render("gpu");
        var silo = m.SiloContainerOf();
        string? limit = silo.Resource("limits", Gpu);
        Assert.True(limit is not null, $"{silo} has no limits.{Gpu}");
        int gpus = int.Parse(limit!, CultureInfo.InvariantCulture);
        Assert.True(gpus >= 1);
        string? request = silo.Resource("requests", Gpu);
        Assert.True(request is null || request == limit, $"requests.{Gpu} ({request}) must equal the limit ({limit})");
        Assert.Equal("cuda:all", m.Setting("Grid__Device")); // each GPU of the pod gets its own slots
        Assert.Equal("1", m.Setting("Grid__DeviceSlots"));

        var pod = m.SiloDeployment().PodSpec;
        Assert.NotEmpty(pod.Map("nodeSelector"));
        Assert.Contains(pod.Items("tolerations"), t => t.Str("key") == Gpu
            && (t.Str("operator") == "Exists" || t.Str("value") is not null)
            && (t.Str("effect") is null or "NoSchedule"));

        // Only the silos hold GPUs.
        foreach (var container in m.Workloads.SelectMany(w => w.AllContainers).Where(c => c != silo))
        {
            Assert.Null(container.Resource("limits", Gpu));
        }
    }

    private static double Cores(string? quantity)
    {
        Assert.NotNull(quantity);
        return quantity!.EndsWith('m')
            ? double.Parse(quantity[..^1], CultureInfo.InvariantCulture) / 1000
            : double.Parse(quantity, CultureInfo.InvariantCulture);
    }
}
