using Grid.Grains.Hosting;
using Grid.Grains.Training;
using Grid.Tests.Support;

namespace Grid.Tests.Training;

public sealed class SlotPlanTests
{
    [Fact]
    public void Every_device_gets_its_slots_in_round_robin_order()
    {
        var plan = SlotPlan.Resolve(new GridOptions { Device = "cuda:all", DeviceSlots = 2 }, cudaDevices: 3);

        Assert.Equal(["cuda:0", "cuda:1", "cuda:2", "cuda:0", "cuda:1", "cuda:2"], plan.SlotDevices);
        Assert.Equal(6, plan.Slots);
        Assert.Equal("cuda:0,cuda:1,cuda:2", plan.Summary);
    }

    [Fact]
    public void The_single_device_settings_keep_working()
    {
        var cpu = SlotPlan.Resolve(new GridOptions { Device = "cpu", DeviceSlots = 2 });
        var gpu = SlotPlan.Resolve(new GridOptions { Device = "cuda", DeviceSlots = 4 }, cudaDevices: 4);

        Assert.Equal(["cpu", "cpu"], cpu.SlotDevices);
        Assert.Equal(["cuda:0", "cuda:0", "cuda:0", "cuda:0"], gpu.SlotDevices);
    }

    [Fact]
    public void A_silo_without_slots_has_no_devices()
    {
        var plan = SlotPlan.Resolve(new GridOptions { Device = "cuda:all", DeviceSlots = 0 }, cudaDevices: 0);

        Assert.Equal(0, plan.Slots);
        Assert.Equal("none", plan.Summary);
    }

    [Fact]
    public void A_device_the_host_lacks_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => SlotPlan.Resolve(new GridOptions { Device = "cuda:1" }, cudaDevices: 1));
        Assert.Contains("device 'cuda:1': this host has 1 CUDA device", error.Message);
    }

    [Fact]
    public void A_worker_gives_each_slot_its_device_and_a_share_of_the_cores()
    {
        var plan = SlotPlan.Resolve(new GridOptions { Device = "cuda:all", DeviceSlots = 1 }, cudaDevices: 2);
        using var worker = new TrainingWorker(new SimulatedTrainer(), plan, Microsoft.Extensions.Options.Options.Create(new GridOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TrainingWorker>.Instance);

        Assert.Equal(2, worker.Slots);
        Assert.Equal(["cuda:0", "cuda:1"], worker.SlotList.Select(s => s.Device));
        Assert.All(worker.SlotList, s => Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), s.Threads.Max));
        Assert.Equal("cuda:0,cuda:1", worker.Device);
    }
}
