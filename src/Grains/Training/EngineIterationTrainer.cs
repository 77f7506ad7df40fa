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

    public IterationOutcome Train(ExperimentSpec spec, string runDirectory, int iteration, TrainingSlot slot, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        slot.Threads.EnsureStarted();
        var device = _devices.GetOrAdd(slot.Device, Devices.Resolve);
        return RunExecutor.RunIteration(spec, runDirectory, iteration, device, progress, cancellationToken, slot.Threads);
    }
}
