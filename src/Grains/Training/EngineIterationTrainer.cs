using System.Collections.Concurrent;
using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training.Bundles;
using Grid.Grains.Hosting;
using TorchSharp;

namespace Grid.Grains.Training;

/// <summary>Trains with the engine on the slot's device, with the slot thread's libtorch budget; a bundle's iterations
/// together (<see cref="RunExecutor.RunIterations"/>).</summary>
public sealed class EngineIterationTrainer(IOptions<GridOptions> options) : IIterationTrainer
{
    private readonly ConcurrentDictionary<string, torch.Device> _devices = new(StringComparer.Ordinal);

    public IterationOutcome? ReadFinished(string runDirectory, int iteration) =>
        Directory.Exists(runDirectory)
            ? RunExecutor.FinishedIterations(runDirectory).FirstOrDefault(o => o.Iteration == iteration)
            : null;

    public string BundleKey(ExperimentSpec spec) => BundleShape.Key(spec);

    /// <summary>What the spec allows (<c>training.bundle: K</c>) or, for <c>auto</c>, what the host measured once per
    /// shape, thread count and device (<see cref="BundleSizing"/>); <c>auto</c> on a CPU slot trains alone unless
    /// <see cref="GridOptions.AutoBundlesOnCpu"/>.</summary>
    public int BundleMembers(ExperimentSpec spec, TrainingSlot slot)
    {
        var device = DeviceOf(slot);
        return spec.Training.Bundle is null && device.type == DeviceType.CPU && !options.Value.AutoBundlesOnCpu
            ? 1
            : BundleSizing.Members(spec, slot.Threads.Max, device);
    }

    public IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot)
    {
        slot.Threads.EnsureStarted();
        return RunExecutor.RunIterations(orders, DeviceOf(slot), slot.Threads);
    }

    private torch.Device DeviceOf(TrainingSlot slot) => _devices.GetOrAdd(slot.Device, Devices.Resolve);
}
