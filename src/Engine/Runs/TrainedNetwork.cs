using Grid.Engine.Model;
using Grid.Engine.Pruning;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>A finished iteration's network (final weights, its mask) with the run's data, for analyses.</summary>
public sealed class TrainedNetwork : IDisposable
{
    private TrainedNetwork(MaskedMlp model, MaskSet mask, DatasetBatchSource data)
    {
        Model = model;
        Mask = mask;
        Data = data;
    }

    public MaskedMlp Model { get; }
    public MaskSet Mask { get; }
    public DatasetBatchSource Data { get; }

    public static TrainedNetwork Load(ExperimentSpec spec, string runDirectory, int iteration, torch.Device device)
    {
        var run = new RunDirectory(runDirectory);
        if (run.ReadOutcome(iteration) is null)
        {
            throw new InvalidOperationException($"{run.IterationPath(iteration)}: iteration {iteration} has not finished");
        }

        if (RunIntegrity.CheckIteration(run.Path, iteration, IntegrityDepth.Full) is { } problem)
        {
            throw new CorruptArtifactException(problem);
        }

        var data = ExperimentData.Load(spec, device);
        var model = MaskedMlp.For(spec, data, device);
        using (var weights = WeightSnapshot.FromTensors(TensorArchive.Load(run.FinalWeightsFile(iteration))))
        {
            weights.Restore(model);
        }

        var mask = new MaskSet(TensorArchive.LoadMasks(run.MaskFile(iteration)));
        model.SetMasks([.. mask.Masks.Select(m => m.to(device))]);
        model.eval();
        return new TrainedNetwork(model, mask, data);
    }

    public void Dispose()
    {
        Model.Dispose();
        Mask.Dispose();
        Data.Dispose();
    }
}
