using Grid.Engine.Data;
using Grid.Engine.Specs;
using Grid.Engine.Tasks;
using Grid.Engine.Training;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>The batches a run trains on: its dataset (cached per process), task variant and per-batch transform.</summary>
public static class ExperimentData
{
    public static DatasetBatchSource Load(ExperimentSpec spec, torch.Device device)
    {
        var split = TaskVariants.Apply(DatasetCatalog.Load(spec.Dataset), spec.Task, spec.Seed);
        return new DatasetBatchSource(split, device, TaskVariants.BatchTransform(spec.Task));
    }
}
