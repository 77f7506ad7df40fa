using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using TorchSharp;

namespace Grid.Analysis.Runs;

/// <summary>The trained network of an iteration on the CPU (analyses run on CPU workers, never on a training device).</summary>
internal static class NetworkLoader
{
    public static TrainedNetwork Load(IterationArtifacts input)
    {
        TorchRuntime.EnsureLoaded();
        return TrainedNetwork.Load(input.Spec, input.Run.Path, input.Iteration, torch.CPU);
    }
}
