using static TorchSharp.torch;

namespace Grid.Engine.Training.Bundles;

/// <summary>One training batch per member, each from the member's own data and generator exactly as its solo
/// training draws it, stacked: images [K, B, in], labels [K, B].</summary>
public static class BundledBatch
{
    public static (Tensor Images, Tensor Labels) Draw(IReadOnlyList<BundleMember> members, int batchSize)
    {
        using var scope = NewDisposeScope();
        var images = new Tensor[members.Count];
        var labels = new Tensor[members.Count];
        for (int k = 0; k < members.Count; k++)
        {
            (images[k], labels[k]) = members[k].Data.TrainBatch(batchSize, members[k].Batches);
        }

        return (stack(images).MoveToOuterDisposeScope(), stack(labels).MoveToOuterDisposeScope());
    }
}
