using Grid.Engine.Runtime;
using Grid.Engine.Training;
using Grid.Engine.Training.Bundles;

namespace Grid.Engine.Runs;

/// <summary>
/// Trains iterations of several runs of the same shape together (<see cref="BundledTrainer"/>), each as
/// <see cref="IterationWork.Train"/> would alone: its start weights, its batch stream from its own seed, its
/// checkpoints (iteration 0's rewind weights) and progress. Afterwards each work's network holds its trained weights,
/// so saving them, writing curves and pruning go on per run as after solo training. A bundle of one is trained by the
/// solo path itself (with the kernels its cost model picks, sparse ones included): the same bits as before bundles.
/// </summary>
public static class IterationBundle
{
    /// <summary>One member: the iteration, and what <see cref="IterationWork.Train"/> takes besides.</summary>
    public sealed record Entry(IterationWork Work, string RewindWeightsFile, IReadOnlyList<(int Step, string File)> Checkpoints, IProgress<TrainingProgress>? Progress)
    {
        /// <summary>Cancels this member alone (<see cref="BundleMember.Cancellation"/>).</summary>
        public CancellationToken Cancellation { get; init; }
    }

    /// <summary>The result (or failure) of each entry, in order: a member that diverged or whose own token was cancelled
    /// fails alone; <paramref name="cancellationToken"/> cancels them all (thrown).</summary>
    public static IReadOnlyList<MemberResult> Train(IReadOnlyList<Entry> entries, CancellationToken cancellationToken, ThreadBudget? threads)
    {
        if (entries.Count == 1)
        {
            return [Solo(entries[0], cancellationToken, threads)];
        }

        var members = new List<BundleMember>();
        try
        {
            foreach (var entry in entries)
            {
                members.Add(entry.Work.AsBundleMember(entry.RewindWeightsFile, entry.Checkpoints, entry.Progress) with { Cancellation = entry.Cancellation });
            }

            return new BundledTrainer(threads).Train(members, cancellationToken);
        }
        finally
        {
            foreach (var member in members)
            {
                member.Batches.Dispose();
            }
        }
    }

    private static MemberResult Solo(Entry entry, CancellationToken cancellationToken, ThreadBudget? threads)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, entry.Cancellation);
        try
        {
            return new MemberResult(entry.Work.Train(entry.RewindWeightsFile, entry.Checkpoints, entry.Progress, cancellation.Token, threads), null);
        }
        catch (TrainingDivergedException diverged)
        {
            return new MemberResult(null, diverged);
        }
        catch (OperationCanceledException cancelled) when (entry.Cancellation.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new MemberResult(null, cancelled);
        }
    }
}
