using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

/// <summary>A learnable synthetic task for engine tests: the label is the argmax of a fixed linear map of the input.</summary>
internal sealed class RandomBatchSource : IBatchSource
{
    private readonly Tensor _trainImages;
    private readonly Tensor _trainLabels;
    private readonly Tensor _valImages;
    private readonly Tensor _valLabels;

    public RandomBatchSource(int inputs, int classes, int trainCount = 512, int valCount = 256, long seed = 7)
    {
        Runtime.TorchRuntime.EnsureLoaded();
        using var generator = new Generator((ulong)seed);
        var teacher = randn([inputs, classes], generator: generator);
        _trainImages = randn([trainCount, inputs], generator: generator);
        _trainLabels = _trainImages.matmul(teacher).argmax(1);
        _valImages = randn([valCount, inputs], generator: generator);
        _valLabels = _valImages.matmul(teacher).argmax(1);
        Inputs = inputs;
        Classes = classes;
    }

    public int Inputs { get; }
    public int Classes { get; }

    public (Tensor Images, Tensor Labels) TrainBatch(int batchSize, Generator generator)
    {
        var indices = randint(_trainImages.shape[0], [batchSize], generator: generator);
        return (_trainImages.index_select(0, indices), _trainLabels.index_select(0, indices));
    }

    public IEnumerable<(Tensor Images, Tensor Labels)> ValidationBatches(int batchSize)
    {
        for (long start = 0; start < _valImages.shape[0]; start += batchSize)
        {
            long length = Math.Min(batchSize, _valImages.shape[0] - start);
            yield return (_valImages.narrow(0, start, length), _valLabels.narrow(0, start, length));
        }
    }
}
