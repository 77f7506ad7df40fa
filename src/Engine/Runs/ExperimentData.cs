using Grid.Engine.Specs;
using Grid.Engine.Training;
using TorchSharp;

namespace Grid.Engine.Runs;

public static class ExperimentData
{
    public static IBatchSource Load(ExperimentSpec spec, torch.Device device) => throw new NotImplementedException();
}
