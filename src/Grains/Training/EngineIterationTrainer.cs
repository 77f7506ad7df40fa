using System.Collections.Concurrent;
using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using TorchSharp;

namespace Grid.Grains.Training;

/// <summary>Trains with the engine on the slot's device, with the slot thread's libtorch budget.</summary>
public sealed class EngineIterationTrainer : IIterationTrainer
{
    private readonly ConcurrentDictionary<string, torch.Device> _devices = new(StringComparer.Ordinal);

    public IterationOutcome? ReadFinished(string runDirectory, int iteration) =>
        Directory.Exists(runDirectory)
            ? RunExecutor.FinishedIterations(runDirectory).FirstOrDefault(o => o.Iteration == iteration)
            : null;

    public string BundleKey(ExperimentSpec spec) => SpecJson.Hash(spec);

    public int BundleMembers(ExperimentSpec spec, TrainingSlot slot) => 1;

    public IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot)
    {
        slot.Threads.EnsureStarted();
        var device = _devices.GetOrAdd(slot.Device, Devices.Resolve);
        return [.. orders.Select(order => Attempt(order, device, slot))];
    }

    private static IterationAttempt Attempt(IterationOrder order, torch.Device device, TrainingSlot slot)
    {
        try
        {
            return new IterationAttempt(RunExecutor.RunIteration(order.Spec, order.RunDirectory, order.Iteration, device, order.Progress, order.Cancellation, slot.Threads), null);
        }
        catch (Exception error)
        {
            return new IterationAttempt(null, error);
        }
    }
}
