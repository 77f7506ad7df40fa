using Grid.Analysis.Network;
using Grid.Engine.Model;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Analysis.Tests.Network;

public sealed class NodeRemovalTests
{
    private sealed class TeacherTask : IBatchSource
    {
        private readonly Tensor _x;
        private readonly Tensor _y;

        public TeacherTask()
        {
            Grid.Engine.Runtime.TorchRuntime.EnsureLoaded();
            using var g = new Generator(3);
            _x = randn([400, 16], generator: g);
            _y = _x.matmul(randn([16, 3], generator: g)).argmax(1);
        }

        public int Inputs => 16;
        public int Classes => 3;

        public (Tensor Images, Tensor Labels) TrainBatch(int batchSize, Generator generator)
        {
            var i = randint(400, [batchSize], generator: generator);
            return (_x.index_select(0, i), _y.index_select(0, i));
        }

        public IEnumerable<(Tensor Images, Tensor Labels)> ValidationBatches(int batchSize)
        {
            for (long s = 0; s < 400; s += batchSize)
            {
                yield return (_x.narrow(0, s, Math.Min(batchSize, 400 - s)), _y.narrow(0, s, Math.Min(batchSize, 400 - s)));
            }
        }
    }

    private static (MaskedMlp Model, TeacherTask Data) TrainedNet()
    {
        var data = new TeacherTask();
        var model = new MaskedMlp(16, new NetworkSpec { Hidden = [12, 8] }, 3, 0.99, CPU);
        using var g = new Generator(1);
        model.Initialise(g);
        using (no_grad())
        {
            // Distinct in-degrees: node j of layer 1 keeps j+1 inputs.
            var mask = zeros(12, 16);
            for (int j = 0; j < 12; j++)
            {
                mask[j].narrow(0, 0, j + 1).fill_(1);
            }

            model.SetMasks([mask, ones(8, 12), ones(3, 8)]);
        }

        new Trainer(new TrainingSpec { BatchSize = 64, Steps = 200, ValidateEvery = 100 }, data).Train(model, g, [], null, CancellationToken.None);
        return (model, data);
    }

    [Fact]
    public void RemovalZeroesExactlyTheIntendedNodesAndRestoresThem()
    {
        var (model, _) = TrainedNet();
        var before = model.Mask(0).clone();
        var weightsBefore = model.Linear(0).weight!.detach().clone();
        using (NodeRemoval.Remove(model, [2, 5]))
        {
            var rowSums = model.Mask(0).sum(1).data<float>().ToArray();
            for (int j = 0; j < 12; j++)
            {
                Assert.Equal(j is 2 or 5 ? 0f : j + 1f, rowSums[j]);
            }

            Assert.Equal(0, model.Linear(0).weight![2].count_nonzero().item<long>());
            Assert.True(model.Linear(0).weight![3].equal(weightsBefore[3]).all().item<bool>());
        }

        Assert.True(model.Mask(0).equal(before).all().item<bool>());
        Assert.True(model.Linear(0).weight!.equal(weightsBefore).all().item<bool>());
    }

    [Fact]
    public void CurvesStartAtOneAndRemoveInConnectivityOrder()
    {
        var (model, data) = TrainedNet();
        var curves = NodeRemoval.Curves(model, data, [0, 1, 6, 12], batchSize: 100);
        Assert.Equal(2, curves.Count);
        foreach (var curve in curves)
        {
            Assert.Equal(1.0, curve.RelativeAccuracy[0], 12);
        }

        // Removing every node leaves the same network whatever the order.
        Assert.Equal(curves[0].RelativeAccuracy[^1], curves[1].RelativeAccuracy[^1], 12);
        Assert.Equal("highest C_in first", curves[0].Order);
    }

    [Fact]
    public void CurvesEqualRemovingTheNodesAndEvaluatingTheWholeNetwork()
    {
        var (model, data) = TrainedNet();
        int[] counts = [0, 1, 3, 6, 12];
        var curves = NodeRemoval.Curves(model, data, counts, batchSize: 100);

        double baseline = Evaluation.Evaluate(model, data, 100).Top1;
        var connectivity = model.Mask(0).sum(1).data<float>().ToArray();
        int[] highestFirst = [.. Enumerable.Range(0, 12).OrderByDescending(j => connectivity[j]).ThenBy(j => j)];
        for (int i = 0; i < counts.Length; i++)
        {
            using (NodeRemoval.Remove(model, highestFirst.Take(counts[i]).ToArray()))
            {
                Assert.Equal(Evaluation.Evaluate(model, data, 100).Top1 / baseline, curves[0].RelativeAccuracy[i], 12);
            }
        }
    }

    [Fact]
    public void TopActivationsAreTheLargestActivationsInOrder()
    {
        var (model, data) = TrainedNet();
        var top = TopActivations.Find(model, data, [0, 11], top: 3, batchSize: 128);
        Assert.Equal(2, top.Count);
        var (images, _) = data.ValidationBatches(400).Single();
        using var activation = model.HiddenActivation(images, 0);
        foreach (var node in top)
        {
            var column = activation[.., node.Node].contiguous().data<float>().ToArray();
            var expected = column.Select((v, i) => (v, i)).OrderByDescending(p => p.v).Take(3).ToArray();
            Assert.Equal(expected.Select(p => (double)p.v), node.Activations, (a, b) => Math.Abs(a - b) < 1e-6);
            Assert.Equal(3, node.ImageIndices.Distinct().Count());
        }
    }
}
