using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Grains.Training;

namespace Grid.Grains.Persistence;

/// <summary>
/// Makes "two silos never train the same iteration at once" hold on the results store itself, not only through
/// Orleans' single activation per grain key (which can briefly be violated while the cluster recovers from a silo
/// death). Before training, the trainer takes the <see cref="IterationClaim"/> of every member of the bundle (in
/// one order everywhere, so two bundles never wait for each other); a member whose claim another trainer holds waits
/// for it and then, finding summary.json, returns the stored outcome instead of training. A member cancelled while it
/// waits leaves the bundle.
/// </summary>
public sealed class ExclusiveIterationTrainer(IIterationTrainer inner, string holder, ILogger<ExclusiveIterationTrainer> logger) : IIterationTrainer
{
    public IterationOutcome? ReadFinished(string runDirectory, int iteration) => inner.ReadFinished(runDirectory, iteration);

    public string BundleKey(ExperimentSpec spec) => inner.BundleKey(spec);

    public int BundleMembers(ExperimentSpec spec, TrainingSlot slot) => inner.BundleMembers(spec, slot);

    public IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot)
    {
        var attempts = new IterationAttempt?[orders.Count];
        var claims = new List<FileClaim>();
        try
        {
            var toTrain = new List<int>();
            foreach (int i in Enumerable.Range(0, orders.Count).OrderBy(i => orders[i].RunDirectory, StringComparer.Ordinal).ThenBy(i => orders[i].Iteration))
            {
                var order = orders[i];
                try
                {
                    claims.Add(IterationClaim.Acquire(order.RunDirectory, order.Iteration, holder,
                        () => logger.LogWarning("Iteration {Iteration} of run {Run} is being trained by another process ({Lock}); waiting for it",
                            order.Iteration, Path.GetFileName(order.RunDirectory), IterationClaim.LockPath(order.RunDirectory, order.Iteration)),
                        order.Cancellation));
                    if (inner.ReadFinished(order.RunDirectory, order.Iteration) is { } finished)
                    {
                        logger.LogInformation("Iteration {Iteration} of run {Run} was finished by another process; not training it again", order.Iteration, Path.GetFileName(order.RunDirectory));
                        attempts[i] = new IterationAttempt(finished, null);
                        continue;
                    }
                }
                catch (Exception error)
                {
                    attempts[i] = new IterationAttempt(null, error);
                    continue;
                }

                toTrain.Add(i);
            }

            toTrain.Sort();
            if (toTrain.Count > 0)
            {
                var trained = inner.TrainBundle([.. toTrain.Select(i => orders[i])], slot);
                for (int t = 0; t < toTrain.Count; t++)
                {
                    attempts[toTrain[t]] = trained[t];
                }
            }

            return [.. attempts.Select(a => a!)];
        }
        finally
        {
            claims.ForEach(claim => claim.Dispose());
        }
    }
}
