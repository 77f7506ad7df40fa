using Grid.Engine.Specs;

namespace Grid.Engine.Training.Bundles;

/// <summary>
/// What the members of a bundle must share, since they train in lockstep as one batched model: the batch size, the
/// step budget and the validation interval, the optimiser with its learning rate (one elementwise update of the stacked
/// parameters), the BN decay, and the shape of their data (inputs and classes). Layer widths are checked by
/// <see cref="Model.BundledMlp.Bundle"/>.
/// </summary>
public static class BundleCompatibility
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first member and field that differ from member 0's.</summary>
    public static void Check(IReadOnlyList<BundleMember> members)
    {
        if (members.Count == 0)
        {
            throw new ArgumentException("a bundle needs at least one member", nameof(members));
        }

        var first = members[0];
        for (int k = 1; k < members.Count; k++)
        {
            var member = members[k];
            Same(k, "training.batch_size", member.Spec.BatchSize, first.Spec.BatchSize);
            Same(k, "training.steps", member.Spec.Steps, first.Spec.Steps);
            Same(k, "training.validate_every", member.Spec.ValidateEvery, first.Spec.ValidateEvery);
            Same(k, "training.optimizer", member.Spec.Optimizer, first.Spec.Optimizer);
            Same(k, "training.learning_rate", member.Spec.LearningRate, first.Spec.LearningRate);
            Same(k, "training.bn_decay", member.Spec.BnDecay, first.Spec.BnDecay);
            Same(k, "inputs of its data", member.Data.Inputs, first.Data.Inputs);
            Same(k, "classes of its data", member.Data.Classes, first.Data.Classes);
            for (int j = 0; j < k; j++)
            {
                if (ReferenceEquals(member.Model, members[j].Model))
                {
                    throw new ArgumentException($"bundle members {j} and {k} are the same network: each member trains its own", nameof(members));
                }
            }
        }
    }

    private static void Same<T>(int member, string field, T value, T first)
    {
        if (!EqualityComparer<T>.Default.Equals(value, first))
        {
            throw new ArgumentException(
                $"bundle member {member}: {field} is {value}, member 0's is {first}; the members of a bundle train in lockstep and must share "
                + "training.batch_size, steps, validate_every, optimizer, learning_rate and bn_decay, and the shape of their data and network");
        }
    }
}
