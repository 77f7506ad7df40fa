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

    [Fact]
    public void Unset_slots_are_one_per_core_on_the_cpu_and_one_per_cuda_device()
    {
        Assert.Equal(["cpu", "cpu", "cpu"], SlotPlan.Resolve(new GridOptions { Device = "cpu" }, cores: 3).SlotDevices);
        Assert.Equal(["cuda:0", "cuda:1"], SlotPlan.Resolve(new GridOptions { Device = "cuda:all" }, cudaDevices: 2, cores: 16).SlotDevices);
        Assert.Equal(["cpu", "cuda:0", "cpu"], SlotPlan.Resolve(new GridOptions { Device = "cpu,cuda:0" }, cudaDevices: 1, cores: 2).SlotDevices);
        Assert.Equal(["cpu", "cpu"], SlotPlan.Resolve(new GridOptions { Device = "auto" }, cudaDevices: 0, cores: 2).SlotDevices);
        Assert.Equal(["cpu"], SlotPlan.Resolve(new GridOptions { Device = "cpu", DeviceSlots = 1 }, cores: 8).SlotDevices);
    }

    [Fact]
    public async Task Cpu_slots_share_every_core_and_count_as_busy_while_they_train()
    {
        var plan = SlotPlan.Resolve(new GridOptions { Device = "cpu", DeviceSlots = 2 });
        using var worker = new TrainingWorker(new SimulatedTrainer(), plan, Microsoft.Extensions.Options.Options.Create(new GridOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TrainingWorker>.Instance);

        Assert.All(worker.SlotList, s => Assert.Equal(Environment.ProcessorCount, s.Threads.Max));
        Assert.All(worker.SlotList, s => Assert.True(s.Threads.Adaptive));

        // Work on slot 0 sees its share of the cores shrink while slot 1 also works.
        var bothStarted = new Barrier(2);
        var shares = Task.WhenAll(worker.SlotList.Select(slot => slot.Run(() =>
        {
            bothStarted.SignalAndWait();
            int share = slot.Threads.Target(0);
            bothStarted.SignalAndWait();
            return share;
        })));
        Assert.All(await shares.WaitAsync(TimeSpan.FromMinutes(2)), share => Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), share));
        Assert.Equal(Environment.ProcessorCount, await worker.SlotList[0].Run(() => worker.SlotList[0].Threads.Target(0)));
    }

    [Fact]
    public void Fixed_thread_counts_keep_each_slot_to_its_own()
    {
        var plan = SlotPlan.Resolve(new GridOptions { Device = "cpu", DeviceSlots = 2 });
        using var worker = new TrainingWorker(new SimulatedTrainer(), plan, Microsoft.Extensions.Options.Options.Create(new GridOptions { TorchThreads = 1 }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TrainingWorker>.Instance);

        Assert.All(worker.SlotList, s => Assert.Equal(1, s.Threads.Max));
        Assert.All(worker.SlotList, s => Assert.False(s.Threads.Adaptive));
    }
}
