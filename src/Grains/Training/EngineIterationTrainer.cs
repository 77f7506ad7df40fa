using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Grains.Hosting;
using TorchSharp;

namespace Grid.Grains.Training;

/// <summary>Trains with the engine on the device configured for this silo.</summary>
public sealed class EngineIterationTrainer(IOptions<GridOptions> options) : IIterationTrainer
{
    private readonly Lazy<torch.Device> _device = new(() =>
    {
        var device = Devices.Resolve(options.Value.Device);
        if (options.Value.TorchThreads > 0 && device.type == DeviceType.CPU)
        {
            torch.set_num_threads(options.Value.TorchThreads);
        }

        return device;
    });

    public IterationOutcome? ReadFinished(string runDirectory, int iteration) =>
        Directory.Exists(runDirectory)
            ? RunExecutor.FinishedIterations(runDirectory).FirstOrDefault(o => o.Iteration == iteration)
            : null;

    public IterationOutcome Train(ExperimentSpec spec, string runDirectory, int iteration, IProgress<TrainingProgress> progress, CancellationToken cancellationToken) =>
        RunExecutor.RunIteration(spec, runDirectory, iteration, _device.Value, progress, cancellationToken);
}
