using Grid.Engine.Model;
using Grid.Engine.Runtime;
using static TorchSharp.torch;

namespace Grid.Engine.Training;

public static class Evaluation
{
    /// <summary>Loss, top-1 and top-5 accuracy on the validation set, BN in evaluation mode (running averages).</summary>
    public static (double Loss, double Top1, double Top5) Evaluate(MaskedMlp model, IBatchSource data, int batchSize)
    {
        model.eval();
        using var _ = no_grad();
        using var lossSum = zeros(1, dtype: float64, device: model.Device);
        using var top1 = zeros(1, dtype: float64, device: model.Device);
        using var top5 = zeros(1, dtype: float64, device: model.Device);
        long count = 0;
        foreach (var (images, labels) in data.ValidationBatches(batchSize))
        {
            using var scope = NewDisposeScope();
            var logits = model.forward(images);
            lossSum.add_(nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).to_type(float64), TorchScalars.One);
            int k = (int)Math.Min(5, logits.shape[1]);
            var (_, predicted) = logits.topk(k, dim: 1);
            var hits = predicted.eq(labels.unsqueeze(1));
            top1.add_(hits[.., 0].sum().to_type(float64), TorchScalars.One);
            top5.add_(hits.any(1).sum().to_type(float64), TorchScalars.One);
            count += labels.shape[0];
            images.Dispose();
            labels.Dispose();
        }

        model.train();
        double n = Math.Max(1, count);
        return (lossSum.item<double>() / n, top1.item<double>() / n, top5.item<double>() / n);
    }
}
